using SlackEmulator.Clock;
using SlackEmulator.State;

namespace SlackEmulator.Control;

/// <summary>Control API for workspaces: teams, channels, users, bot installs, apps and tokens.</summary>
internal static class WorkspaceEndpoints
{
    public static RouteGroupBuilder MapWorkspaceEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/teams", (EmulatorState state) => Locked(state, () => Results.Ok(state.Teams.Values.Select(TeamView).ToArray())));
        group.MapPost("/teams", CreateTeam);
        group.MapPost("/teams/{teamId}/channels", CreateChannel);
        group.MapPatch("/teams/{teamId}/channels/{channelId}", UpdateChannel);
        group.MapPost("/teams/{teamId}/users", CreateUser);
        group.MapPost("/teams/{teamId}/install", Install);
        group.MapPut("/teams/{teamId}/interactivity", SetInteractivity);
        group.MapGet("/apps", (EmulatorState state) => Locked(state, () => Results.Ok(state.Apps.Values.Select(AppView).ToArray())));
        group.MapPut("/apps/{appId}", PutApp);
        group.MapPost("/tokens/revoke", Revoke);
        return group;
    }

    private static IResult CreateTeam(CreateTeamRequest body, EmulatorState state) => Locked(state, () =>
    {
        var team = state.CreateTeam(body.Id, body.Name ?? body.Id ?? "Workspace", body.Domain);
        return Results.Created($"/_emulator/teams/{team.Id}", TeamView(team));
    });

    private static IResult CreateChannel(string teamId, CreateChannelRequest body, EmulatorState state, EmulatorClock clock) =>
        WithTeam(state, teamId, team =>
        {
            if (string.IsNullOrWhiteSpace(body.Name))
            {
                return Results.BadRequest(new { error = "name_required" });
            }

            var channel = state.CreateChannel(team, body.Id, body.Name, body.IsPrivate, body.IsArchived, SlackTs.UnixSeconds(clock.GetUtcNow()));
            channel.Members.UnionWith(body.Members ?? []);
            return Results.Created($"/_emulator/channels/{team.Id}/{channel.Id}", ChannelView(channel));
        });

    private static IResult UpdateChannel(string teamId, string channelId, UpdateChannelRequest body, EmulatorState state) =>
        WithTeam(state, teamId, team =>
        {
            var channel = team.FindChannel(channelId) ?? team.FindChannelByName(channelId);
            if (channel is null)
            {
                return Results.NotFound(new { error = "channel_not_found" });
            }

            channel.IsArchived = body.IsArchived ?? channel.IsArchived;
            channel.Name = body.Name ?? channel.Name;
            channel.Members.UnionWith(body.AddMembers ?? []);
            channel.Members.ExceptWith(body.RemoveMembers ?? []);
            state.Touch();
            return Results.Ok(ChannelView(channel));
        });

    private static IResult CreateUser(string teamId, CreateUserRequest body, EmulatorState state) => WithTeam(state, teamId, team =>
    {
        var user = state.CreateUser(team, body.Id, body.Name ?? body.Id ?? "user", body.RealName, body.Email);
        return Results.Created($"/_emulator/teams/{team.Id}/users/{user.Id}", new { user.Id, user.Name, user.RealName, user.Email, teamId = team.Id });
    });

    private static IResult Install(string teamId, InstallRequest body, EmulatorState state, EmulatorClock clock) => WithTeam(state, teamId, team =>
    {
        var app = state.Apps.GetValueOrDefault(body.AppId ?? EmulatorState.DefaultAppId);
        if (app is null)
        {
            return Results.NotFound(new { error = "app_not_found" });
        }

        DateTimeOffset? expires = body.ExpiresInSeconds is { } s ? clock.GetUtcNow().AddSeconds(s) : null;
        var scopes = (body.Scopes ?? []).SelectMany(s => EmulatorState.ParseScopes(s)).Distinct(StringComparer.Ordinal).ToArray();
        var grant = state.Install(team, app, scopes, body.Token, expires);
        foreach (var id in body.JoinChannels ?? [])
        {
            (team.FindChannel(id) ?? team.FindChannelByName(id))?.Members.Add(grant.UserId);
        }

        return Results.Ok(new InstallResponse(grant.Token, team.Id, app.Id, grant.UserId, grant.BotId, grant.Scopes, grant.ExpiresAt));
    });

    private static IResult SetInteractivity(string teamId, InteractivityRequest body, EmulatorState state) => WithTeam(state, teamId, team =>
    {
        team.RequestUrl = string.IsNullOrWhiteSpace(body.RequestUrl) ? null : body.RequestUrl;
        team.SigningSecret = string.IsNullOrWhiteSpace(body.SigningSecret) ? null : body.SigningSecret;
        return Results.Ok(new { teamId = team.Id, team.RequestUrl, hasSigningSecret = team.SigningSecret is not null });
    });

    private static IResult PutApp(string appId, AppRequest body, EmulatorState state) => Locked(state, () =>
    {
        var app = state.Apps.GetValueOrDefault(appId) ?? new SlackApp
        {
            Id = appId,
            ClientId = $"{appId.ToLowerInvariant()}-client-id",
            ClientSecret = $"{appId.ToLowerInvariant()}-client-secret",
            SigningSecret = $"{appId.ToLowerInvariant()}-signing-secret",
        };
        app.Name = body.Name ?? app.Name;
        app.ClientId = body.ClientId ?? app.ClientId;
        app.ClientSecret = body.ClientSecret ?? app.ClientSecret;
        app.SigningSecret = body.SigningSecret ?? app.SigningSecret;
        app.VerificationToken = body.VerificationToken ?? app.VerificationToken;
        app.RequestUrl = body.RequestUrl ?? app.RequestUrl;
        app.RedirectUrls = body.RedirectUrls?.ToList() ?? app.RedirectUrls;
        app.RotationEnabled = body.RotationEnabled ?? app.RotationEnabled;
        app.AutoApprove = body.AutoApprove ?? app.AutoApprove;
        state.Apps[app.Id] = app;
        return Results.Ok(AppView(app));
    });

    private static IResult Revoke(RevokeRequest body, EmulatorState state) => Locked(state, () =>
    {
        if (body.Token is null || !state.Tokens.TryGetValue(body.Token, out var grant))
        {
            return Results.NotFound(new { error = "token_not_found" });
        }

        var error = body.Error ?? "token_revoked";
        if (error is not ("token_revoked" or "account_inactive" or "invalid_auth"))
        {
            return Results.BadRequest(new { error = "error must be token_revoked, account_inactive or invalid_auth" });
        }

        grant.RevokedError = error;
        return Results.Ok(new { revoked = true, error });
    });

    private static object TeamView(Team t) => new
    {
        t.Id,
        t.Name,
        t.Domain,
        t.RequestUrl,
        Channels = t.ChannelList.Select(ChannelView).ToArray(),
        Users = t.Users.Values.Select(u => new { u.Id, u.Name, u.RealName, u.Email, u.IsBot, u.BotId, u.AppId }).ToArray(),
    };

    private static object ChannelView(Channel c) =>
        new { c.Id, c.TeamId, c.Name, c.IsPrivate, c.IsIm, c.IsArchived, Members = c.Members.Order(StringComparer.Ordinal).ToArray() };

    private static object AppView(SlackApp a) =>
        new { a.Id, a.Name, a.ClientId, a.RequestUrl, RedirectUrls = a.RedirectUrls.ToArray(), a.RotationEnabled, a.AutoApprove };

    private static IResult WithTeam(EmulatorState state, string teamId, Func<Team, IResult> action) => Locked(state, () =>
        state.FindTeam(teamId) is { } team ? action(team) : Results.NotFound(new { error = "team_not_found" }));

    internal static IResult Locked(EmulatorState state, Func<IResult> action)
    {
        lock (state.Gate)
        {
            return action();
        }
    }
}
