using System.Text;
using System.Text.Json;
using SlackEmulator.Api;
using SlackEmulator.Clock;
using SlackEmulator.Interactivity;
using SlackEmulator.State;
using static SlackEmulator.Pages.PageLayout;

namespace SlackEmulator.Pages;

/// <summary>
/// One channel as a member sees it: messages oldest first with their blocks, thread replies under their
/// parent, "(edited)" markers, ephemeral replies for the viewing user, and the outcome of the last click.
/// </summary>
internal static class ChannelPage
{
    public static string Render(Team team, Channel channel, string? viewerId, CallbackRecord? last, string? clickError)
    {
        var humans = team.Users.Values.Where(u => !u.IsBot).ToList();
        var viewer = humans.FirstOrDefault(u => u.Id == viewerId) ?? humans.FirstOrDefault();
        var sb = new StringBuilder();
        var title = channel.IsIm ? $"DM with {team.Users.GetValueOrDefault(channel.Name)?.Name ?? channel.Name}" : $"#{channel.Name}";
        sb.Append($"<h2 id=\"channel-title\">{E(title)} <span class=\"meta\">{E(channel.Id)} · {E(team.Name)} ({E(team.Id)})");
        sb.Append(channel.IsPrivate ? " · private" : "").Append(channel.IsArchived ? " · archived" : "").Append("</span></h2>");
        sb.Append(ViewerForm(team, channel, humans, viewer));
        sb.Append(Banner(last, clickError, team));

        var visible = channel.Messages
            .Where(m => !m.Deleted && (!m.Ephemeral || m.VisibleTo == viewer?.Id))
            .ToList();
        var topLevel = visible.Where(m => !m.IsReply || m.ReplyBroadcast).ToList();
        var repliesByParent = visible.Where(m => m.IsReply).ToLookup(m => m.ThreadTs!, StringComparer.Ordinal);
        if (topLevel.Count == 0)
        {
            sb.Append("<p class=\"meta\" id=\"empty\">No messages yet.</p>");
        }

        foreach (var message in topLevel)
        {
            sb.Append(Message(team, channel, message, viewer?.Id));
            var replies = message.IsReply ? [] : repliesByParent[message.Ts].ToList();
            if (replies.Count > 0)
            {
                sb.Append($"<div class=\"thread\" data-thread-ts=\"{E(message.Ts)}\"><div class=\"meta\">{replies.Count} repl{(replies.Count == 1 ? "y" : "ies")}</div>");
                foreach (var reply in replies)
                {
                    sb.Append(Message(team, channel, reply, viewer?.Id));
                }

                sb.Append("</div>");
            }
        }

        return sb.ToString();
    }

    private static string ViewerForm(Team team, Channel channel, List<SlackUser> humans, SlackUser? viewer)
    {
        var sb = new StringBuilder($"<form method=\"get\" action=\"/_emulator/channels/{E(team.Id)}/{E(channel.Id)}\">");
        sb.Append("Viewing and clicking as <select name=\"user\" id=\"viewer\" onchange=\"this.form.submit()\">");
        foreach (var user in humans)
        {
            var selected = user.Id == viewer?.Id ? " selected" : "";
            sb.Append($"<option value=\"{E(user.Id)}\"{selected}>{E(user.Name)} ({E(user.Id)})</option>");
        }

        return sb.Append("</select> <noscript><button type=\"submit\">Switch</button></noscript></form>").ToString();
    }

    private static string Banner(CallbackRecord? last, string? clickError, Team team)
    {
        if (clickError is not null)
        {
            return $"<div class=\"banner fail\" id=\"last-click\">Click not sent: <code>{E(clickError)}</code></div>";
        }

        if (last is null)
        {
            return "";
        }

        var who = team.Users.GetValueOrDefault(last.UserId)?.Name ?? last.UserId;
        var outcome = last.Status is { } status ? $"HTTP {status}" : $"failed: {last.Error}";
        var failed = last.Status is not (>= 200 and < 300);
        return $"<div class=\"banner{(failed ? " fail" : "")}\" id=\"last-click\">Last click: <code>{E(last.ActionId)}</code> by {E(who)} → " +
               $"POST {E(last.RequestUrl)} → <strong id=\"last-click-status\">{E(outcome)}</strong> in {last.LatencyMs:F0} ms" +
               (last.Slow ? " (slower than Slack's 3 s)" : "") + "</div>";
    }

    private static string Message(Team team, Channel channel, StoredMessage m, string? viewerId)
    {
        var author = team.Users.GetValueOrDefault(m.UserId);
        var name = author?.RealName ?? m.UserId;
        var time = SlackTs.ToInstant(m.TsMicros).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var sb = new StringBuilder($"<div class=\"msg{(m.Ephemeral ? " ephemeral" : "")}\" id=\"msg-{E(m.Ts)}\" data-ts=\"{E(m.Ts)}\">");
        sb.Append($"<div><span class=\"author\">{E(name)}</span>{(author?.IsBot == true ? " <span class=\"meta\">APP</span>" : "")} ");
        sb.Append($"<span class=\"meta\">{time} UTC · ts {E(m.Ts)}</span>");
        if (m.Edited is not null)
        {
            sb.Append(" <span class=\"edited\">(edited)</span>");
        }

        if (m.IsReply && m.ReplyBroadcast)
        {
            sb.Append(" <span class=\"meta\">replied to a thread (also sent to the channel)</span>");
        }

        if (m.Ephemeral)
        {
            sb.Append(" <span class=\"meta\">Only visible to you</span>");
        }

        sb.Append("</div>");
        sb.Append(new BlockRenderer(team, channel, m, viewerId).Render());
        if (m.Metadata is { } metadata)
        {
            var type = metadata.TryGetProperty("event_type", out var t) ? t.GetString() : "";
            sb.Append($"<details class=\"meta\"><summary>metadata: {E(type)}</summary><pre>{E(JsonSerializer.Serialize(metadata, SlackJson.Options))}</pre></details>");
        }

        return sb.Append("</div>").ToString();
    }
}
