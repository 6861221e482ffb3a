using Microsoft.AspNetCore.Http.HttpResults;
using SignalCraft.Accounts;

namespace SignalCraft.Health;

/// <summary><c>GET /api/metrics/outcomes?range=1h|24h|7d|30d</c>: the outcomes of the caller's workspace.</summary>
public static class OutcomeEndpoints
{
    public static IEndpointRouteBuilder MapOutcomeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/metrics").WithTags("Outcomes").RequireWorkspace().MapGet("/outcomes", OutcomesAsync);
        return app;
    }

    private static async Task<Results<Ok<OutcomeReport>, ValidationProblem>> OutcomesAsync(string? range, OutcomeQueries outcomes,
        WorkspaceSettingsStore settings, CurrentWorkspace workspace, CancellationToken ct)
    {
        if (!OutcomeQueries.TryParseRange(range, out var span))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["range"] = ["Use one of 1h, 24h, 7d, 30d."],
            });
        }
        var slo = (await settings.GetAsync(workspace.WorkspaceId, ct)).DeliverySlo;
        return TypedResults.Ok(await outcomes.ReportAsync(range ?? "24h", span, slo, ct));
    }
}
