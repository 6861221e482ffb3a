using Microsoft.AspNetCore.Http.HttpResults;
using SignalCraft.Accounts;

namespace SignalCraft.Routing;

/// <summary><c>POST /api/routing-rules/test</c>: a stored event or a sample alert.</summary>
public sealed record RuleTestRequest(long? EventId, string? Source, string? Project, string? Environment, string? Severity, string? Title,
    Dictionary<string, string>? Tags);

public sealed record RuleTestMatch(long RuleId, string Name, IReadOnlyList<TargetSpec> Targets, string Mention, int WaitSeconds);

/// <summary>What would happen to the alert: nothing is sent.</summary>
public sealed record RuleTestResult(IReadOnlyList<RuleTestMatch> Matches, bool Unrouted, IReadOnlyList<TargetSpec> DefaultRouteTargets,
    string? MutedBy);

/// <summary>Routing rules (members read, admins write), the rule tester and mutes.</summary>
public static class RoutingEndpoints
{
    public static IEndpointRouteBuilder MapRoutingEndpoints(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/routing-rules").WithTags("Routing rules").RequireWorkspace();
        rules.MapGet("/", (RuleStore store, CancellationToken ct) => store.ListAsync(ct));
        rules.MapGet("/{id:long}", async Task<Results<Ok<RuleDto>, NotFound>> (long id, RuleStore store, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } rule ? TypedResults.Ok(rule) : TypedResults.NotFound());
        rules.MapPost("/", (RuleDto rule, RuleStore store, CurrentWorkspace w, CancellationToken ct) => SaveAsync(null, rule, store, w, ct))
            .RequireAuthorization(AccountsPolicies.Admin);
        rules.MapPut("/{id:long}", (long id, RuleDto rule, RuleStore store, CurrentWorkspace w, CancellationToken ct) => SaveAsync(id, rule, store, w, ct))
            .RequireAuthorization(AccountsPolicies.Admin);
        rules.MapDelete("/{id:long}", async Task<Results<NoContent, NotFound>> (long id, RuleStore store, CancellationToken ct) =>
            await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound()).RequireAuthorization(AccountsPolicies.Admin);
        rules.MapPut("/order", OrderAsync).RequireAuthorization(AccountsPolicies.Admin).TakesWorkspaceIds("body: [ids]");
        rules.MapPost("/test", TestAsync).TakesWorkspaceIds("body: eventId");

        var mutes = app.MapGroup("/api/mutes").WithTags("Mutes").RequireWorkspace();
        mutes.MapGet("/", (MuteStore store, CancellationToken ct) => store.ListAsync(ct));
        mutes.MapPost("/", CreateMuteAsync).RequireAuthorization(AccountsPolicies.Admin);
        mutes.MapDelete("/{id:long}", async Task<Results<NoContent, NotFound>> (long id, MuteStore store, CancellationToken ct) =>
            await store.EndAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound()).RequireAuthorization(AccountsPolicies.Admin);
        return app;
    }

    private static async Task<IResult> SaveAsync(long? id, RuleDto rule, RuleStore store, CurrentWorkspace w, CancellationToken ct) =>
        await store.SaveAsync(w.WorkspaceId, id, rule, ct) switch
        {
            RuleSave.Saved saved when id is null => TypedResults.Created($"/api/routing-rules/{saved.Rule.Id}", saved.Rule),
            RuleSave.Saved saved => TypedResults.Ok(saved.Rule),
            RuleSave.Invalid { Status: 422 } invalid => TypedResults.Problem(statusCode: 422, title: "Target refused",
                detail: string.Join(" ", invalid.Errors.SelectMany(e => e.Value)), extensions: new Dictionary<string, object?> { ["errors"] = invalid.Errors }),
            RuleSave.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors),
            _ => TypedResults.NotFound(),
        };

    private static async Task<IResult> OrderAsync(List<long> ids, RuleStore store, CancellationToken ct)
    {
        var missing = await store.ReorderAsync(ids, ct);
        return missing.Count == 0
            ? TypedResults.Ok(await store.ListAsync(ct))
            : TypedResults.Problem(statusCode: 404, title: "Unknown rules", detail: $"No rule of this workspace has id {string.Join(", ", missing)}.");
    }

    private static async Task<IResult> TestAsync(RuleTestRequest request, RuleTester tester, CurrentWorkspace w, CancellationToken ct) =>
        await tester.TestAsync(w.WorkspaceId, request, ct) switch
        {
            { Result: { } result } => TypedResults.Ok(result),
            { Status: 404, Problem: var detail } => TypedResults.Problem(statusCode: 404, title: "Not found", detail: detail),
            var invalid => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [invalid.Field!] = [invalid.Problem!] }),
        };

    private static async Task<IResult> CreateMuteAsync(MuteRequest request, MuteStore store, CurrentWorkspace w, CancellationToken ct) =>
        await store.CreateAsync(w.WorkspaceId, request, w.DisplayName, ct) switch
        {
            { Errors: { } errors } => TypedResults.ValidationProblem(errors),
            { Mute: { } mute } => TypedResults.Created($"/api/mutes/{mute.Id}", mute),
            _ => TypedResults.StatusCode(500),
        };
}
