using System.Net.Http.Json;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Integrations;

/// <summary>Integration routes probed from another workspace.</summary>
public sealed class IntegrationsProbes : ICrossWorkspaceProbeSource
{
    public IEnumerable<CrossWorkspaceProbe> Probes =>
    [
        new("GET", "/api/integrations/{id}") { ArrangeAsync = Arrange(id => $"/api/integrations/{id}"), SnapshotAsync = Snapshot },
        new("PATCH", "/api/integrations/{id}")
        {
            ArrangeAsync = async ctx => new ProbeRequest($"/api/integrations/{(await SentryIntegrationApi.CreateAsync(ctx.B)).Id}", new { name = "taken over", enabled = false }),
            SnapshotAsync = Snapshot,
        },
        new("POST", "/api/integrations/{id}/rotate-key") { ArrangeAsync = Arrange(id => $"/api/integrations/{id}/rotate-key"), SnapshotAsync = Snapshot },
        new("GET", "/api/integrations/{id}/quarantine") { ArrangeAsync = Arrange(id => $"/api/integrations/{id}/quarantine"), SnapshotAsync = Snapshot },
    ];

    private static Func<ProbeContext, Task<ProbeRequest>> Arrange(Func<long, string> path) =>
        async ctx => new ProbeRequest(path((await SentryIntegrationApi.CreateAsync(ctx.B)).Id));

    // B's integrations as B sees them: names, URLs and counters must not change.
    private static Task<string> Snapshot(ProbeContext ctx, ProbeRequest _) => ctx.B.Client.GetStringAsync("/api/integrations");
}
