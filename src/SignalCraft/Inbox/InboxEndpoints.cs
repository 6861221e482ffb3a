using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SignalCraft.Accounts;
using SignalCraft.Alerts;
using SignalCraft.Health;

namespace SignalCraft.Inbox;

public sealed record SnoozeRequest(int Minutes);

public sealed record AssignRequest(string? UserId);

public sealed record NoteRequest(string Text);

public sealed record SeverityRequest(string? Severity);

/// <summary><c>POST /api/alert-groups/actions</c>: one action on many groups (the storm at 3 a.m.).</summary>
public sealed record BulkActionRequest(IReadOnlyList<long> Ids, string Action, int? Minutes, string? UserId, string? Text, string? Severity);

public sealed record BulkActionResult(long Id, string Outcome, string? Message, AlertGroupItem? Group);

/// <summary>The inbox API: list and detail, and every action on a group (members may act on incidents).</summary>
public static class InboxEndpoints
{
    public static IEndpointRouteBuilder MapInboxEndpoints(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api").WithTags("Inbox").RequireWorkspace();
        alerts.MapGet("/alerts", ListAsync);
        alerts.MapGet("/alert-groups/{id:long}", DetailAsync);
        alerts.MapPost("/alert-groups/{id:long}/ack", (long id, GroupActions a, CurrentWorkspace w, CancellationToken ct) => Answer(a.AckAsync(id, ActorOf(w), ct)));
        alerts.MapPost("/alert-groups/{id:long}/unack", (long id, GroupActions a, CurrentWorkspace w, CancellationToken ct) => Answer(a.UnackAsync(id, ActorOf(w), ct)));
        alerts.MapPost("/alert-groups/{id:long}/snooze", SnoozeAsync);
        alerts.MapPost("/alert-groups/{id:long}/unsnooze", (long id, GroupActions a, CurrentWorkspace w, CancellationToken ct) => Answer(a.UnsnoozeAsync(id, ActorOf(w), ct)));
        alerts.MapPost("/alert-groups/{id:long}/resolve", (long id, GroupActions a, CurrentWorkspace w, CancellationToken ct) => Answer(a.ResolveAsync(id, ActorOf(w), ct)));
        alerts.MapPost("/alert-groups/{id:long}/reopen", (long id, GroupActions a, CurrentWorkspace w, CancellationToken ct) => Answer(a.ReopenAsync(id, ActorOf(w), ct)));
        alerts.MapPost("/alert-groups/{id:long}/assign", AssignAsync).TakesWorkspaceIds("body: userId");
        alerts.MapPost("/alert-groups/{id:long}/notes", NoteAsync);
        alerts.MapPost("/alert-groups/{id:long}/severity", SeverityAsync);
        alerts.MapPost("/alert-groups/actions", BulkAsync).TakesWorkspaceIds("body: ids, userId");
        alerts.MapGet("/dashboard/overview", OverviewAsync);
        return app;
    }

    private static async Task<Results<Ok<AlertGroupPage>, ValidationProblem>> ListAsync([AsParameters] InboxFilter filter,
        InboxQueries queries, WorkspaceSettingsStore settings, CurrentWorkspace workspace, CancellationToken ct)
    {
        var errors = filter.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var aliases = (await settings.GetAsync(workspace.WorkspaceId, ct)).EnvironmentAliases;
        return TypedResults.Ok(await queries.ListAsync(filter, aliases, ct));
    }

    private static async Task<Results<Ok<AlertGroupDetail>, NotFound>> DetailAsync(long id, InboxQueries queries, CancellationToken ct) =>
        await queries.DetailAsync(id, ct) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound();

    private static async Task<IResult> SnoozeAsync(long id, SnoozeRequest request, GroupActions actions, CurrentWorkspace w, CancellationToken ct) =>
        request.Minutes is < 1 or > GroupActions.MaxSnoozeMinutes
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["minutes"] = [$"Snooze for 1 to {GroupActions.MaxSnoozeMinutes} minutes."] })
            : await Answer(actions.SnoozeAsync(id, request.Minutes, ActorOf(w), ct));

    private static async Task<IResult> AssignAsync(long id, AssignRequest request, GroupActions actions, CurrentWorkspace w,
        MemberDirectory members, CancellationToken ct)
    {
        Actor? assignee = null;
        if (request.UserId is { } userId)
        {
            if (await members.FindAsync(w.WorkspaceId, userId, ct) is not { } member)
            {
                return TypedResults.Problem(statusCode: 404, title: "Not a member", detail: "No member of this workspace has that user id.");
            }
            assignee = new Actor(member.UserId, member.DisplayName);
        }
        return await Answer(actions.AssignAsync(id, assignee, ActorOf(w), ct));
    }

    private static async Task<IResult> NoteAsync(long id, NoteRequest request, GroupActions actions, CurrentWorkspace w, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > 4000
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = ["Write a note of 1 to 4000 characters."] })
            : await Answer(actions.AddNoteAsync(id, request.Text, ActorOf(w), ct));

    private static async Task<IResult> SeverityAsync(long id, SeverityRequest request, GroupActions actions, CurrentWorkspace w, CancellationToken ct)
    {
        Severity? severity = null;
        if (request.Severity is not null)
        {
            if (!SeverityNames.TryParse(request.Severity, out var parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["severity"] = ["Use critical, high, med, low or info (null clears the override)."] });
            }
            severity = parsed;
        }
        return await Answer(actions.SetSeverityAsync(id, severity, ActorOf(w), ct));
    }

    private static async Task<IResult> BulkAsync(BulkActionRequest request, GroupActions actions, CurrentWorkspace w, MemberDirectory members, CancellationToken ct)
    {
        if (request.Ids is null || request.Ids.Count is 0 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ids"] = ["Give 1 to 500 group ids."] });
        }
        var actor = ActorOf(w);
        Actor? assignee = null;
        if (request.Action == "assign" && request.UserId is { } userId)
        {
            if (await members.FindAsync(w.WorkspaceId, userId, ct) is not { } member)
            {
                return TypedResults.Problem(statusCode: 404, title: "Not a member", detail: "No member of this workspace has that user id.");
            }
            assignee = new Actor(member.UserId, member.DisplayName);
        }
        Func<long, Task<ActionOutcome>>? run = request.Action switch
        {
            "ack" => id => actions.AckAsync(id, actor, ct),
            "unack" => id => actions.UnackAsync(id, actor, ct),
            "snooze" when request.Minutes is >= 1 and <= GroupActions.MaxSnoozeMinutes => id => actions.SnoozeAsync(id, request.Minutes.Value, actor, ct),
            "unsnooze" => id => actions.UnsnoozeAsync(id, actor, ct),
            "resolve" => id => actions.ResolveAsync(id, actor, ct),
            "reopen" => id => actions.ReopenAsync(id, actor, ct),
            "assign" => id => actions.AssignAsync(id, assignee, actor, ct),
            "note" when !string.IsNullOrWhiteSpace(request.Text) && request.Text.Length <= 4000 => id => actions.AddNoteAsync(id, request.Text, actor, ct),
            _ => null,
        };
        if (run is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["action"] = ["Use ack, unack, snooze (with minutes), unsnooze, resolve, reopen, assign (with userId) or note (with text)."],
            });
        }
        var results = new List<BulkActionResult>();
        foreach (var id in request.Ids.Distinct())
        {
            results.Add(await run(id) switch
            {
                ActionOutcome.Done done => new BulkActionResult(id, "ok", null, done.Group),
                ActionOutcome.Conflict conflict => new BulkActionResult(id, "conflict", conflict.Message, null),
                _ => new BulkActionResult(id, "notFound", "No such group in this workspace.", null),
            });
        }
        return TypedResults.Ok(new { results });
    }

    private static async Task<Results<Ok<Overview>, ValidationProblem>> OverviewAsync(string? range, OutcomeQueries outcomes, CancellationToken ct) =>
        OutcomeQueries.TryParseRange(range, out var span)
            ? TypedResults.Ok(await outcomes.OverviewAsync(range ?? "24h", span, ct))
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["range"] = ["Use 1h, 24h, 7d or 30d."] });

    internal static Actor ActorOf(CurrentWorkspace w) => new(w.UserId, w.DisplayName);

    private static async Task<IResult> Answer(Task<ActionOutcome> outcome) => await outcome switch
    {
        ActionOutcome.Done done => TypedResults.Ok(done.Group),
        ActionOutcome.Conflict conflict => TypedResults.Problem(statusCode: 409, title: "Conflict", detail: conflict.Message,
            extensions: conflict.OtherGroupId is { } other ? new Dictionary<string, object?> { ["groupId"] = other } : null),
        _ => TypedResults.Problem(statusCode: 404, title: "Not found", detail: "No such group in this workspace."),
    };
}
