using SlackEmulator.Clock;
using SlackEmulator.Failures;
using SlackEmulator.State;

namespace SlackEmulator.Control;

/// <summary>Control API for scripted failures: add, list, remove.</summary>
internal static class FailureEndpoints
{
    /// <summary>Kinds that are shorthands for {kind:"error", error: &lt;kind&gt;}.</summary>
    private static readonly HashSet<string> ErrorShorthands =
        ["fatal_error", "internal_error", "token_revoked", "account_inactive", "channel_not_found", "invalid_auth", "not_in_channel", "is_archived"];

    public static RouteGroupBuilder MapFailureEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/failures", Add);
        group.MapGet("/failures", (FailureInjector failures) => Results.Ok(failures.List().Select(View).ToArray()));
        group.MapDelete("/failures", (FailureInjector failures) =>
        {
            failures.Clear();
            return Results.NoContent();
        });
        group.MapDelete("/failures/{id}", (string id, FailureInjector failures) =>
            failures.Remove(id) ? Results.NoContent() : Results.NotFound(new { error = "failure_not_found" }));
        return group;
    }

    private static IResult Add(FailureRequest body, FailureInjector failures, EmulatorClock clock)
    {
        var kindName = body.Kind ?? "error";
        FailureKind kind;
        var error = body.Error;
        switch (kindName)
        {
            case "ratelimited" or "429":
                kind = FailureKind.RateLimited;
                break;
            case "http_error" or "5xx":
                kind = FailureKind.HttpError;
                break;
            case "timeout":
                kind = FailureKind.Timeout;
                break;
            case "error":
                kind = FailureKind.Error;
                break;
            case var shorthand when ErrorShorthands.Contains(shorthand):
                kind = FailureKind.Error;
                error = shorthand;
                break;
            default:
                return Results.BadRequest(new { error = $"unknown kind '{kindName}'" });
        }

        if (kind == FailureKind.Error && string.IsNullOrWhiteSpace(error))
        {
            return Results.BadRequest(new { error = "kind 'error' needs an 'error' code" });
        }

        if (kind == FailureKind.HttpError && body.Status is { } status && status is < 500 or > 599)
        {
            return Results.BadRequest(new { error = "status must be 5xx" });
        }

        // With neither a count nor a duration a rule fires once: a forgotten rule cannot poison later tests.
        var count = body.Count ?? (body.DurationSeconds is null ? 1 : null);
        var rule = failures.Add(new FailureRule
        {
            Id = Ids.Random(10),
            Method = string.IsNullOrWhiteSpace(body.Method) ? "*" : body.Method,
            Kind = kind,
            ErrorCode = error ?? "fatal_error",
            Status = body.Status ?? 500,
            RetryAfterSeconds = Math.Max(1, body.RetryAfter ?? 1),
            HangSeconds = body.HangSeconds ?? 30,
            ApplyFirst = body.Apply ?? false,
            TeamId = body.TeamId,
            Channel = body.Channel,
            RemainingCount = count,
            Until = body.DurationSeconds is { } d ? clock.GetUtcNow().AddSeconds(d) : null,
        });
        return Results.Created($"/_emulator/failures/{rule.Id}", View(rule));
    }

    private static object View(FailureRule r) => new
    {
        r.Id,
        r.Method,
        Kind = r.Kind.ToString(),
        r.Outcome,
        r.TeamId,
        r.Channel,
        r.RetryAfterSeconds,
        r.HangSeconds,
        Apply = r.ApplyFirst,
        r.RemainingCount,
        r.Until,
        r.Hits,
    };
}
