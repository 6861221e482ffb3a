using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SignalCraft.Accounts;

namespace SignalCraft.Health.Delivery;

/// <summary>
/// <c>GET /api/health/delivery</c> (the report), <c>GET /api/notifications</c> (the log) and
/// <c>POST /api/notifications/discarded/{jobId}/retry</c>, for any member of the workspace.
/// </summary>
public static class DeliveryHealthEndpoints
{
    public static IEndpointRouteBuilder MapDeliveryHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/health").WithTags("Delivery health").RequireWorkspace()
            .MapGet("/delivery", async (DeliveryHealthQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.ReportAsync(ct)));
        var log = app.MapGroup("/api/notifications").WithTags("Delivery health").RequireWorkspace();
        log.MapGet("/", ListAsync);
        log.MapPost("/discarded/{jobId:long}/retry", RetryAsync);
        return app;
    }

    private static async Task<Results<Ok<NotificationLogPage>, ValidationProblem, NotFound>> ListAsync([AsParameters] NotificationLogQuery query,
        NotificationLogQueries queries, CancellationToken ct)
    {
        var filter = query.ToFilter();
        var errors = filter.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (!await queries.FilterNamesOwnDataAsync(filter, ct))
        {
            return TypedResults.NotFound(); // a group or target of another workspace is as unknown as a missing one
        }
        return TypedResults.Ok(await queries.ListAsync(filter, ct));
    }

    private static async Task<Results<Accepted<RetryAccepted>, NotFound, ProblemHttpResult>> RetryAsync(long jobId, NotificationRetry retry,
        CancellationToken ct) => await retry.RetryAsync(jobId, ct) switch
        {
            RetryOutcome.Queued => TypedResults.Accepted(default(string), new RetryAccepted(jobId, "queued")),
            RetryOutcome.NotFound => TypedResults.NotFound(),
            RetryOutcome.AlreadyQueued => TypedResults.Problem(statusCode: 409, title: "Already queued",
                detail: "A notification for this group and target is already waiting to be sent; nothing was added."),
            _ => TypedResults.Problem(statusCode: 409, title: "Not discarded",
                detail: "This notification is no longer discarded (it was retried already, or it is still being tried); nothing was changed."),
        };
}

/// <summary>The query string of <c>GET /api/notifications</c>.</summary>
public sealed class NotificationLogQuery
{
    public long? GroupId { get; init; }
    public long? TargetId { get; init; }
    public string? Status { get; init; }
    public string? Kind { get; init; }
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    public long? Cursor { get; init; }
    public int? Limit { get; init; }

    public NotificationLogFilter ToFilter() => new(GroupId, TargetId, Status, Kind, From, To, Cursor, Limit);
}

public sealed record RetryAccepted(long JobId, string State);
