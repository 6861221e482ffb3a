using System.Text;
using SlackEmulator.Clock;
using SlackEmulator.Pages;
using SlackEmulator.State;

namespace SlackEmulator.OAuth;

/// <summary>
/// GET /oauth/v2/authorize shows the "Allow" page (or, for an app set to auto-approve, redirects at
/// once); POST decides. Allow redirects to redirect_uri?code=…&amp;state=…, Cancel to
/// redirect_uri?error=access_denied&amp;state=…. Codes are single use and live 10 minutes.
/// </summary>
internal static class OAuthEndpoints
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    public static IEndpointRouteBuilder MapOAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/oauth/v2/authorize", Show).ExcludeFromDescription();
        app.MapPost("/oauth/v2/authorize", Decide).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static IResult Show(HttpRequest request, EmulatorState state, EmulatorClock clock)
    {
        var q = request.Query;
        lock (state.Gate)
        {
            var (app, redirect, error) = Validate(state, q["client_id"], q["redirect_uri"], q["scope"]);
            if (error is not null)
            {
                return PageLayout.Page("Install error", $"<h2>Cannot install</h2><p><code>{PageLayout.E(error)}</code></p>", 400);
            }

            var teams = state.Teams.Values.Where(t => string.IsNullOrEmpty(q["team"]) || t.Id == q["team"]).ToList();
            if (teams.Count == 0)
            {
                return PageLayout.Page("Install error", "<h2>Cannot install</h2><p>No workspace to install into.</p>", 400);
            }

            if (app!.AutoApprove)
            {
                var team = teams[0];
                return Results.Redirect(IssueCode(state, app, team, Installer(state, team), q["scope"], q["redirect_uri"], redirect!, q["state"], clock));
            }

            return PageLayout.Page($"Install {app.Name}", AuthorizePage.Render(app, teams, q));
        }
    }

    private static async Task<IResult> Decide(HttpRequest request, EmulatorState state, EmulatorClock clock)
    {
        var form = await request.ReadFormAsync();
        lock (state.Gate)
        {
            var (app, redirect, error) = Validate(state, form["client_id"], form["redirect_uri"], form["scope"]);
            if (error is not null)
            {
                return PageLayout.Page("Install error", $"<h2>Cannot install</h2><p><code>{PageLayout.E(error)}</code></p>", 400);
            }

            if (form["decision"] != "allow")
            {
                return Results.Redirect(WithQuery(redirect!, ("error", "access_denied"), ("state", form["state"])));
            }

            var parts = form["installer"].ToString().Split('|');
            var team = state.FindTeam(parts[0]);
            if (team is null)
            {
                return PageLayout.Page("Install error", "<h2>Cannot install</h2><p>Unknown workspace.</p>", 400);
            }

            var user = team.Users.GetValueOrDefault(parts.ElementAtOrDefault(1) ?? "") ?? Installer(state, team);
            return Results.Redirect(IssueCode(state, app!, team, user, form["scope"], form["redirect_uri"], redirect!, form["state"], clock));
        }
    }

    /// <summary>The app, the redirect target, or why the request is refused.</summary>
    private static (SlackApp? App, string? Redirect, string? Error) Validate(EmulatorState state, string? clientId, string? redirectUri, string? scope)
    {
        var app = state.FindAppByClientId(clientId);
        if (app is null)
        {
            return (null, null, "invalid_client_id");
        }

        if (EmulatorState.ParseScopes(scope).Count == 0)
        {
            return (app, null, "invalid_scope");
        }

        if (string.IsNullOrEmpty(redirectUri))
        {
            return app.RedirectUrls.Count > 0 ? (app, app.RedirectUrls[0], null) : (app, null, "bad_redirect_uri");
        }

        // Slack accepts a redirect_uri that matches (or extends) one of the app's configured URLs.
        var allowed = app.RedirectUrls.Count == 0 || app.RedirectUrls.Any(u => redirectUri.StartsWith(u, StringComparison.Ordinal));
        return allowed && Uri.TryCreate(redirectUri, UriKind.Absolute, out _) ? (app, redirectUri, null) : (app, null, "bad_redirect_uri");
    }

    private static string IssueCode(EmulatorState state, SlackApp app, Team team, SlackUser user, string? scope,
        string? redirectUriArg, string redirect, string? oauthState, EmulatorClock clock)
    {
        var code = new AuthCode
        {
            Code = $"{Ids.NextNumber()}.{Ids.NextNumber()}.{Ids.Random(32)}",
            AppId = app.Id,
            TeamId = team.Id,
            UserId = user.Id,
            Scopes = EmulatorState.ParseScopes(scope),
            RedirectUri = string.IsNullOrEmpty(redirectUriArg) ? null : redirectUriArg,
            ExpiresAt = clock.GetUtcNow() + CodeLifetime,
        };
        state.Codes[code.Code] = code;
        return WithQuery(redirect, ("code", code.Code), ("state", oauthState));
    }

    /// <summary>The installing user: the team's first human, created when the team has none.</summary>
    private static SlackUser Installer(EmulatorState state, Team team) =>
        team.Users.Values.FirstOrDefault(u => !u.IsBot) ?? state.CreateUser(team, null, "installer", "Installing User", null);

    private static string WithQuery(string url, params (string Key, string? Value)[] pairs)
    {
        var sb = new StringBuilder(url);
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (key, value) in pairs.Where(p => !string.IsNullOrEmpty(p.Value)))
        {
            sb.Append(separator).Append(key).Append('=').Append(Uri.EscapeDataString(value!));
            separator = '&';
        }

        return sb.ToString();
    }
}
