using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Routing;

/// <summary>Routing rules, mutes and targets probed from another workspace.</summary>
public sealed class RoutingProbes : ICrossWorkspaceProbeSource
{
    // A documentation-range address: public (not refused as private) and never resolved or contacted by these probes.
    private const string Url = "https://203.0.113.10/signalcraft";

    public IEnumerable<CrossWorkspaceProbe> Probes =>
    [
        CrossWorkspaceProbe.Exempt("POST", "/api/routing-rules", "a new rule's body id is ignored: the rule is created in the caller's workspace"),
        new("GET", "/api/routing-rules/{id}") { ArrangeAsync = async ctx => new ProbeRequest($"/api/routing-rules/{await RuleAsync(ctx)}"), SnapshotAsync = Rules },
        new("PUT", "/api/routing-rules/{id}")
        {
            ArrangeAsync = async ctx => new ProbeRequest($"/api/routing-rules/{await RuleAsync(ctx)}", new { name = "taken over", enabled = false }),
            SnapshotAsync = Rules,
        },
        new("DELETE", "/api/routing-rules/{id}") { ArrangeAsync = async ctx => new ProbeRequest($"/api/routing-rules/{await RuleAsync(ctx)}"), SnapshotAsync = Rules },
        new("PUT", "/api/routing-rules/order")
        {
            ArrangeAsync = async ctx => new ProbeRequest("/api/routing-rules/order", new[] { await RuleAsync(ctx), await RuleAsync(ctx) }),
            SnapshotAsync = Rules,
        },
        new("POST", "/api/routing-rules/test")
        {
            ArrangeAsync = async ctx =>
            {
                var integration = await SentryIntegrationApi.CreateAsync(ctx.B);
                using var client = ctx.App.CreateClient();
                var response = await Sources.Sentry.SentryWebhookClient.PostAsync(client, integration.Path,
                    Grouping.NoisyAlerts.WithEventId(Sources.Sentry.SentryFixture.Load("event_alert.error.production"), Guid.NewGuid().ToString("N")), ctx.App);
                var eventId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("eventId").GetInt64();
                // The alert is routed to b's rules: let its delivery attempt end before the snapshot, so the target's
                // lastError cannot change between "before" and "after".
                await Eventually.WaitAsync(() => ctx.B.Client.GetFromJsonAsync<JsonElement>("/api/notifications"),
                    l => l.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("finishedAt").ValueKind != JsonValueKind.Null),
                    "b's delivery attempt to end");
                return new ProbeRequest("/api/routing-rules/test", new { eventId });
            },
            SnapshotAsync = Rules,
        },
        new("DELETE", "/api/mutes/{id}")
        {
            ArrangeAsync = async ctx =>
            {
                var response = await ctx.B.Client.PostAsJsonAsync("/api/mutes", new { endsAt = ctx.App.Clock.GetUtcNow().AddHours(1), comment = "b" });
                await response.AssertStatusAsync(HttpStatusCode.Created);
                return new ProbeRequest($"/api/mutes/{(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64()}");
            },
            SnapshotAsync = (ctx, _) => ctx.B.Client.GetStringAsync("/api/mutes"),
        },
        new("POST", "/api/notification-targets/{id}/signing-secret")
        {
            ArrangeAsync = async ctx =>
            {
                await RuleAsync(ctx);
                var targets = await ctx.B.Client.GetFromJsonAsync<JsonElement>("/api/notification-targets");
                return new ProbeRequest($"/api/notification-targets/{targets[0].GetProperty("targetId").GetInt64()}/signing-secret");
            },
            // The targets themselves; their health moves with background deliveries of other probes' alerts, not with A's request.
            SnapshotAsync = async (ctx, _) => string.Join(";", (await ctx.B.Client.GetFromJsonAsync<JsonElement>("/api/notification-targets"))
                .EnumerateArray().Select(t => $"{t.GetProperty("targetId")} {t.GetProperty("kind")} {t.GetProperty("url")}")),
        },
    ];

    private static async Task<long> RuleAsync(ProbeContext ctx)
    {
        var response = await ctx.B.Client.PostAsJsonAsync("/api/routing-rules", new
        {
            name = "b's rule", actions = new { targets = new[] { new { kind = "webhook", url = Url } } },
        });
        await response.AssertStatusAsync(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static Task<string> Rules(ProbeContext ctx, ProbeRequest _) => ctx.B.Client.GetStringAsync("/api/routing-rules");
}
