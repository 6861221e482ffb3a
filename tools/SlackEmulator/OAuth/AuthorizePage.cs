using System.Text;
using SlackEmulator.State;
using static SlackEmulator.Pages.PageLayout;

namespace SlackEmulator.OAuth;

/// <summary>The install consent page: which workspace and user, the scopes asked for, Allow / Cancel.</summary>
internal static class AuthorizePage
{
    public static string Render(SlackApp app, IReadOnlyList<Team> teams, IQueryCollection q)
    {
        var sb = new StringBuilder();
        sb.Append($"<h2>{E(app.Name)} is requesting permission to access a Slack workspace</h2>");
        sb.Append("<p>It will be able to:</p><ul>");
        foreach (var scope in EmulatorState.ParseScopes(q["scope"]))
        {
            sb.Append($"<li><code>{E(scope)}</code></li>");
        }

        sb.Append("</ul><form method=\"post\" action=\"/oauth/v2/authorize\">");
        foreach (var name in new[] { "client_id", "scope", "user_scope", "redirect_uri", "state" })
        {
            sb.Append($"<input type=\"hidden\" name=\"{name}\" value=\"{E(q[name])}\">");
        }

        sb.Append("<p><label>Install into, as: <select name=\"installer\">");
        foreach (var team in teams)
        {
            var humans = team.Users.Values.Where(u => !u.IsBot).ToList();
            if (humans.Count == 0)
            {
                sb.Append($"<option value=\"{E(team.Id)}|\">{E(team.Name)} (new installing user)</option>");
            }

            foreach (var user in humans)
            {
                sb.Append($"<option value=\"{E(team.Id)}|{E(user.Id)}\">{E(team.Name)} as {E(user.Name)}</option>");
            }
        }

        sb.Append("</select></label></p>");
        sb.Append("<p><button class=\"primary\" name=\"decision\" value=\"allow\" type=\"submit\">Allow</button> ");
        sb.Append("<button name=\"decision\" value=\"deny\" type=\"submit\">Cancel</button></p></form>");
        return sb.ToString();
    }
}
