using System.Text;
using SlackEmulator.State;
using static SlackEmulator.Pages.PageLayout;

namespace SlackEmulator.Pages;

/// <summary>The emulator's home page: every workspace with its channels, users and the app settings.</summary>
internal static class IndexPage
{
    public static string Render(EmulatorState state)
    {
        var sb = new StringBuilder("<h2>Workspaces</h2>");
        if (state.Teams.Count == 0)
        {
            sb.Append("<p class=\"meta\">None yet: create one with <code>POST /_emulator/teams</code>.</p>");
        }

        foreach (var team in state.Teams.Values)
        {
            sb.Append($"<h3>{E(team.Name)} <span class=\"meta\">{E(team.Id)} · {E(team.Domain)}</span></h3><ul>");
            foreach (var channel in team.ChannelList)
            {
                var label = channel.IsIm ? $"DM {channel.Name}" : $"#{channel.Name}";
                var flags = (channel.IsPrivate ? " private" : "") + (channel.IsArchived ? " archived" : "");
                sb.Append($"<li><a href=\"/_emulator/channels/{E(team.Id)}/{E(channel.Id)}\">{E(label)}</a> ");
                sb.Append($"<span class=\"meta\">{E(channel.Id)}{E(flags)} · {channel.Messages.Count(m => !m.Deleted)} messages</span></li>");
            }

            sb.Append("</ul><p class=\"meta\">Users: ");
            sb.Append(string.Join(", ", team.Users.Values.Select(u => $"{E(u.Name)} ({E(u.Id)}{(u.IsBot ? ", bot" : "")})")));
            sb.Append("</p>");
        }

        sb.Append("<h2>Apps</h2><table><tr><th>App</th><th>Client id</th><th>Request URL</th><th>Rotation</th></tr>");
        foreach (var app in state.Apps.Values)
        {
            sb.Append($"<tr><td>{E(app.Name)} ({E(app.Id)})</td><td><code>{E(app.ClientId)}</code></td>");
            sb.Append($"<td>{E(app.RequestUrl ?? "(not set)")}</td><td>{(app.RotationEnabled ? "on" : "off")}</td></tr>");
        }

        sb.Append("</table><p class=\"meta\">Control API: see tools/SlackEmulator/README.md. JSON views: ");
        sb.Append("<a href=\"/_emulator/calls\">calls</a>, <a href=\"/_emulator/messages\">messages</a>, <a href=\"/_emulator/callbacks\">callbacks</a>.</p>");
        return sb.ToString();
    }
}
