using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Integrations.Slack;

namespace SignalCraft.Actions;

/// <summary>The caller's Slack identity in one connected team (null fields when not linked).</summary>
public sealed record SlackLinkDto(long ConnectionId, string TeamId, string? TeamName, bool Linked, string? SlackUserId, string? SlackName,
    string? LinkedBy, DateTime? LinkedAt);

/// <summary><c>PUT /api/me/slack-link</c>: link by email (default: your SignalCraft email), in one connection or all.</summary>
public sealed record SlackLinkRequest(long? ConnectionId, string? Email);

/// <summary>
/// <c>/api/me/slack-link</c>: who you are in each connected Slack team, so buttons you click are recorded as you and the
/// <c>assignee</c> mention reaches you.
/// </summary>
public static class SlackLinkEndpoints
{
    public static IEndpointRouteBuilder MapSlackLinkEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me/slack-link").WithTags("Slack").RequireWorkspace();
        group.MapGet("/", GetAsync);
        group.MapPut("/", PutAsync);
        group.MapDelete("/", DeleteAsync);
        return app;
    }

    /// <summary>The caller's links, one entry per Slack connection of the workspace (for the profile page too).</summary>
    public static async Task<List<SlackLinkDto>> ListAsync(SignalCraftDbContext db, long workspaceId, string userId, CancellationToken ct)
    {
        var connections = await db.Set<SlackConnection>().IgnoreQueryFilters().AsNoTracking().Where(c => c.WorkspaceId == workspaceId)
            .OrderBy(c => c.Id).ToListAsync(ct);
        var links = await db.Set<SlackUserLink>().IgnoreQueryFilters().AsNoTracking()
            .Where(l => l.WorkspaceId == workspaceId && l.UserId == userId).ToListAsync(ct);
        return connections.Select(c => links.FirstOrDefault(l => l.TeamId == c.TeamId) is { } l
            ? new SlackLinkDto(c.Id, c.TeamId, c.TeamName, true, l.SlackUserId, l.SlackName, l.LinkedBy, l.LinkedAt)
            : new SlackLinkDto(c.Id, c.TeamId, c.TeamName, false, null, null, null, null)).ToList();
    }

    private static async Task<Results<Ok<List<SlackLinkDto>>, ProblemHttpResult>> GetAsync(CurrentWorkspace me, SignalCraftDbContext db, CancellationToken ct) =>
        me.UserId is not { } userId ? PersonOnly() : TypedResults.Ok(await ListAsync(db, me.WorkspaceId, userId, ct));

    private static async Task<Results<Ok<List<SlackLinkDto>>, NotFound, ProblemHttpResult>> PutAsync(SlackLinkRequest request, CurrentWorkspace me,
        SignalCraftDbContext db, SlackPeople people, CancellationToken ct)
    {
        if (me.UserId is not { } userId)
        {
            return PersonOnly();
        }
        var connections = await db.Set<SlackConnection>().Where(c => request.ConnectionId == null || c.Id == request.ConnectionId).ToListAsync(ct);
        if (connections.Count == 0)
        {
            return request.ConnectionId is null
                ? TypedResults.Problem(statusCode: 409, title: "No Slack connection", detail: "Connect Slack first (Integrations → Slack).")
                : TypedResults.NotFound();
        }
        var email = request.Email?.Trim();
        if (string.IsNullOrEmpty(email))
        {
            email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        }
        if (string.IsNullOrEmpty(email) || !email.Contains('@'))
        {
            return TypedResults.Problem(statusCode: 400, title: "Which email?", detail: "Give the email address of your Slack profile.");
        }
        foreach (var connection in connections)
        {
            var (_, problem) = await people.LinkByEmailAsync(connection, userId, email, ct);
            if (problem is not null)
            {
                return TypedResults.Problem(statusCode: 422, title: "Slack user not linked", detail: problem);
            }
        }
        return TypedResults.Ok(await ListAsync(db, me.WorkspaceId, userId, ct));
    }

    private static async Task<Results<Ok<List<SlackLinkDto>>, ProblemHttpResult>> DeleteAsync(CurrentWorkspace me, SignalCraftDbContext db, CancellationToken ct)
    {
        if (me.UserId is not { } userId)
        {
            return PersonOnly();
        }
        await db.Set<SlackUserLink>().Where(l => l.UserId == userId).ExecuteDeleteAsync(ct);
        return TypedResults.Ok(await ListAsync(db, me.WorkspaceId, userId, ct));
    }

    private static ProblemHttpResult PersonOnly() => TypedResults.Problem(statusCode: 400, title: "A person's link",
        detail: "API tokens have no Slack identity: sign in as a person to link your Slack user.");
}
