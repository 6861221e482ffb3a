using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SlackEmulator.State;

namespace SlackEmulator.Api.Methods;

/// <summary>
/// oauth.v2.access: exchanges a single-use code (10-minute life, redirect_uri must match the one given
/// at authorize) for a bot token; with rotation on, the token expires after 12 hours and comes with a
/// single-use refresh token that grant_type=refresh_token trades for a new pair.
/// </summary>
internal static class OAuthV2Access
{
    public const int RotationLifetimeSeconds = 43_200;

    public static ApiResult Handle(ApiContext ctx)
    {
        var (clientId, clientSecret) = ClientCredentials(ctx);
        var app = ctx.State.FindAppByClientId(clientId);
        if (app is null)
        {
            return ApiResult.Error("invalid_client_id");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(app.ClientSecret), Encoding.UTF8.GetBytes(clientSecret ?? "")))
        {
            return ApiResult.Error("bad_client_secret");
        }

        return (ctx.Args.String("grant_type") ?? "authorization_code") switch
        {
            "authorization_code" => FromCode(ctx, app),
            "refresh_token" => FromRefreshToken(ctx, app),
            _ => ApiResult.Error("invalid_grant_type"),
        };
    }

    private static ApiResult FromCode(ApiContext ctx, SlackApp app)
    {
        var codeArg = ctx.Args.String("code");
        if (codeArg is null || !ctx.State.Codes.TryGetValue(codeArg, out var code) || code.Used
            || code.AppId != app.Id || ctx.Now >= code.ExpiresAt)
        {
            return ApiResult.Error("invalid_code");
        }

        if (code.RedirectUri is not null && !string.Equals(code.RedirectUri, ctx.Args.String("redirect_uri"), StringComparison.Ordinal))
        {
            return ApiResult.Error("bad_redirect_uri");
        }

        code.Used = true;
        return Issue(ctx, app, ctx.State.Teams[code.TeamId], code.Scopes, code.UserId);
    }

    private static ApiResult FromRefreshToken(ApiContext ctx, SlackApp app)
    {
        var arg = ctx.Args.String("refresh_token");
        if (!app.RotationEnabled || arg is null || !ctx.State.RefreshTokens.TryGetValue(arg, out var refresh)
            || refresh.Used || refresh.AppId != app.Id)
        {
            return ApiResult.Error("invalid_refresh_token");
        }

        // Each refresh retires the refresh token it used; the old access token lives until it expires.
        refresh.Used = true;
        return Issue(ctx, app, ctx.State.Teams[refresh.TeamId], refresh.Scopes, refresh.AuthedUserId);
    }

    private static ApiResult Issue(ApiContext ctx, SlackApp app, Team team, IReadOnlyList<string> scopes, string authedUserId)
    {
        DateTimeOffset? expiresAt = app.RotationEnabled ? ctx.Now.AddSeconds(RotationLifetimeSeconds) : null;
        var grant = ctx.State.Install(team, app, scopes, null, expiresAt);
        var body = ApiResult.OkBody();
        body["access_token"] = grant.Token;
        body["token_type"] = "bot";
        body["scope"] = grant.ScopeList;
        body["bot_user_id"] = grant.UserId;
        body["app_id"] = app.Id;
        if (app.RotationEnabled)
        {
            var refresh = new RefreshGrant
            {
                RefreshToken = $"xoxe-1-{Ids.Random(48)}",
                TeamId = team.Id,
                AppId = app.Id,
                Scopes = scopes,
                AuthedUserId = authedUserId,
            };
            ctx.State.RefreshTokens[refresh.RefreshToken] = refresh;
            body["expires_in"] = RotationLifetimeSeconds;
            body["refresh_token"] = refresh.RefreshToken;
        }

        body["team"] = new JsonObject { ["name"] = team.Name, ["id"] = team.Id };
        body["enterprise"] = null;
        body["is_enterprise_install"] = false;
        body["authed_user"] = new JsonObject { ["id"] = authedUserId };
        return ApiResult.Ok(body);
    }

    /// <summary>HTTP Basic (preferred by Slack) or client_id / client_secret arguments.</summary>
    private static (string? Id, string? Secret) ClientCredentials(ApiContext ctx)
    {
        if (ctx.BasicCredentials is { } basic)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(basic));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return (decoded[..colon], decoded[(colon + 1)..]);
                }
            }
            catch (FormatException)
            {
                return (null, null);
            }
        }

        return (ctx.Args.String("client_id"), ctx.Args.String("client_secret"));
    }
}
