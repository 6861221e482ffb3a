using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Hosting;
using SignalCraft.Notify.Slack;

namespace SignalCraft.Integrations.Slack;

public sealed record SlackConnectStarted(string AuthorizeUrl);

/// <summary>
/// Connecting Slack with OAuth v2: an admin asks for the authorize URL, Slack sends the browser back to the callback
/// (outside <c>/api</c>; the single-use <c>state</c> is its credential), which exchanges the code, checks the token with
/// <c>auth.test</c>, stores it encrypted and returns to the Integrations page.
/// </summary>
public static class SlackConnectEndpoints
{
    public const string CallbackPath = "/integrations/slack/callback";
    public const string IntegrationsPage = "/integrations";

    public static IEndpointRouteBuilder MapSlackConnectEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/integrations/slack").WithTags("Slack").RequireWorkspace(AccountsPolicies.Admin);
        api.MapPost("/connect", ConnectAsync);
        api.MapGet("/channels", ChannelsAsync);
        app.MapGet(CallbackPath, CallbackAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Ok<SlackConnectStarted>, ProblemHttpResult>> ConnectAsync(SlackConnectStarter starter, CancellationToken ct) =>
        await starter.StartAsync(ct) is { } url
            ? TypedResults.Ok(new SlackConnectStarted(url))
            : TypedResults.Problem(statusCode: 409, title: "Slack is not configured", detail: SlackConnectStarter.NotConfigured);

    private static async Task<IResult> CallbackAsync(HttpContext http, string? code, string? state, string? error, SignalCraftDbContext db,
        SlackApiClient slack, SlackTokens tokens, PublicUrls urls, TimeProvider time, Health.Delivery.SlackTokenChecks tokenChecks,
        Notify.ParkedNotifications parked, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(state))
        {
            return StateProblem("The callback has no state: start again from Integrations → Slack → Connect.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var hash = Hash(state);
        var pending = await db.Set<SlackOAuthState>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.StateHash == hash, ct);
        if (pending is null)
        {
            return StateProblem("This connect link was not issued by SignalCraft: start again from Integrations → Slack → Connect.");
        }
        if (pending.ExpiresAt <= now)
        {
            return StateProblem("This connect link expired (they last 10 minutes): start again from Integrations → Slack → Connect.");
        }
        // A signed-in browser must be the person who started it; an anonymous one is trusted by the state alone.
        var signedIn = await http.AuthenticateAsync();
        if (signedIn.Succeeded && signedIn.Principal.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId && userId != pending.UserId)
        {
            return StateProblem("This connect link was started by another user: start again from your own account.");
        }
        var claimed = await db.Set<SlackOAuthState>().IgnoreQueryFilters()
            .Where(s => s.Id == pending.Id && s.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.UsedAt, now), ct);
        if (claimed != 1)
        {
            return StateProblem("This connect link was already used: start again from Integrations → Slack → Connect.");
        }
        if (!string.IsNullOrEmpty(error) || string.IsNullOrEmpty(code))
        {
            return Results.Redirect($"{IntegrationsPage}?slack=cancelled");
        }

        var access = await slack.OAuthAccessAsync([new("code", code), new("redirect_uri", urls.For(CallbackPath))], ct);
        if (!access.Ok || access.String("access_token") is not { } token)
        {
            return Results.Problem(statusCode: 502, title: "Slack refused the install",
                detail: $"Slack did not complete the install ({access.Describe()}); start again from Integrations → Slack → Connect.");
        }
        var check = await slack.PostJsonAsync("auth.test", token, new { }, ct);
        if (!check.Ok || check.String("team_id") is not { } teamId)
        {
            return Results.Problem(statusCode: 502, title: "Slack token check failed",
                detail: $"The new token did not pass auth.test ({check.Describe()}); start again from Integrations → Slack → Connect.");
        }

        var connection = await db.Set<SlackConnection>().IgnoreQueryFilters()
            .FirstOrDefaultAsync(c => c.WorkspaceId == pending.WorkspaceId && c.TeamId == teamId, ct);
        if (connection is null)
        {
            connection = new SlackConnection { WorkspaceId = pending.WorkspaceId, TeamId = teamId, TokenProtected = "", CreatedAt = now };
            db.Add(connection);
        }
        tokens.Store(connection, access, now);
        connection.TeamName = check.String("team");
        connection.TeamUrl = check.String("url");
        connection.BotUserId = check.String("user_id") ?? access.String("bot_user_id");
        connection.BotId = check.String("bot_id");
        connection.AppId = access.String("app_id");
        connection.Scopes = access.String("scope") ?? "";
        connection.Status = SlackConnectionStatus.Ok;
        connection.LastError = null;
        connection.ConnectedByUserId = pending.UserId;
        await db.SaveChangesAsync(ct);
        await tokenChecks.EnsureArmedAsync(connection, ct); // Delivery Health's scheduled auth.test
        await db.SaveChangesAsync(ct);
        await parked.WakeAsync(connection.WorkspaceId, connection.Id, ct); // the backlog parked by the auth failure goes out now
        return Results.Redirect($"{IntegrationsPage}?slack=connected&team={Uri.EscapeDataString(teamId)}");
    }

    private static async Task<Results<Ok<SlackChannelPage>, NotFound, ProblemHttpResult>> ChannelsAsync(long? connectionId, string? cursor,
        SignalCraftDbContext db, SlackChannelDirectory channels, CancellationToken ct)
    {
        var connections = await db.Set<SlackConnection>().OrderBy(c => c.Id).ToListAsync(ct);
        var connection = connectionId is { } id ? connections.FirstOrDefault(c => c.Id == id) : connections.Count == 1 ? connections[0] : null;
        if (connection is null)
        {
            return connectionId is not null ? TypedResults.NotFound() : TypedResults.Problem(statusCode: 400, title: "Which Slack connection?",
                detail: connections.Count == 0 ? "Connect Slack first." : "This workspace has several Slack connections: pass connectionId.");
        }
        var (page, failure) = await channels.PageAsync(connection, cursor, ct);
        if (failure is not null)
        {
            if (failure.RetryAfter is { } wait)
            {
                // Pickers may wait and ask again.
                return TypedResults.Problem(statusCode: 429, title: "Slack is rate limiting", detail: failure.Detail,
                    extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = (int)Math.Ceiling(wait.TotalSeconds) });
            }
            return TypedResults.Problem(statusCode: failure.RateLimited ? 429 : 502, title: "Slack channel list failed", detail: failure.Detail);
        }
        return TypedResults.Ok(page!);
    }

    private static IResult StateProblem(string detail) => Results.Problem(statusCode: 400, title: "Invalid Slack connect state", detail: detail);

    internal static string Hash(string state) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));
}
