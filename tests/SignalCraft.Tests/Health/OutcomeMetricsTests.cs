using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Notify;
using SignalCraft.Notify.Webhook;
using SignalCraft.Tests.Inbox;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Health;

/// <summary>
/// The outcome report on a constructed alert stream, against figures computed by hand from DESIGN's glossary.
/// Five groups: A (4 events), B (2), C (1), D (critical, 1), all delivered at T0; E (critical, 1) while the only target
/// is down, so it is never delivered. Acks at +2, +5 and +10 minutes (A, B, D); resolves at +10 and +20 minutes (A, B).
/// </summary>
public sealed class OutcomeMetricsTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ConstructedStream_MatchesHandComputedOutcomes(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?> { ["Notify:AllowPrivateTargets"] = "true" });
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        var rule = await owner.Client.PostAsJsonAsync("/api/routing-rules", new
        {
            name = "everything", actions = new { targets = new[] { new { kind = "webhook", url = receiver.Url() } } },
        });
        await rule.AssertStatusAsync(HttpStatusCode.Created);

        var a = await IssueSender.SendAsync(owner, integration, "700001", "a1");
        for (var i = 2; i <= 4; i++)
        {
            await IssueSender.SendAsync(owner, integration, "700001", $"a{i}");
        }
        var b = await IssueSender.SendAsync(owner, integration, "700002", "b1");
        await IssueSender.SendAsync(owner, integration, "700002", "b2");
        await IssueSender.SendAsync(owner, integration, "700003", "c1");
        var d = await IssueSender.SendAsync(owner, integration, "700004", "d1", "event_alert.fatal.production");
        await receiver.WaitForAsync(r => r.Count(x => x.Type == WebhookEventTypes.Opened) == 4, "four first posts");

        var before = await ReportAsync(owner);
        Assert.Equal(0, before.GetProperty("missedCriticalCount").GetInt32());

        // The only target goes down; a new critical group can reach nobody.
        receiver.Status = 503;
        var e = await IssueSender.SendAsync(owner, integration, "700005", "e1", "event_alert.fatal.production");
        await Eventually.WaitAsync(() => app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<NotificationLog>()
            .IgnoreQueryFilters().CountAsync(l => l.GroupId == e && l.Status == NotificationStatus.Failed)), n => n >= 1, "E's failed attempt");

        await ActAtAsync(app, owner, TimeSpan.FromMinutes(2), a, "ack");
        await ActAtAsync(app, owner, TimeSpan.FromMinutes(3), b, "ack");
        await ActAtAsync(app, owner, TimeSpan.FromMinutes(5), d, "ack");
        await ActAtAsync(app, owner, TimeSpan.Zero, a, "resolve");
        await ActAtAsync(app, owner, TimeSpan.FromMinutes(10), b, "resolve");

        var r = await ReportAsync(owner);
        Assert.Equal((9, 5, 4), (r.GetProperty("events").GetInt32(), r.GetProperty("groups").GetInt32(), r.GetProperty("topLevelPosts").GetInt32()));
        Assert.Equal(0.5556, r.GetProperty("noiseReduction").GetDouble()); // 1 − 4 ÷ 9
        Assert.Equal(5, r.GetProperty("humanActions").GetInt32());          // 3 acks + 2 resolves
        Assert.Equal((4, 3, 0.75), (r.GetProperty("groupsNotified").GetInt32(), r.GetProperty("groupsAcknowledged").GetInt32(),
            r.GetProperty("ackRate").GetDouble()));
        // MTTA over {120, 300, 600} s; MTTR over {600, 1200} s (interpolated percentiles).
        AssertStats(r.GetProperty("mtta"), 3, 300, 540);
        AssertStats(r.GetProperty("mttr"), 2, 900, 1140);
        Assert.Equal(0, r.GetProperty("escalationsFired").GetInt32());

        Assert.Equal(1, r.GetProperty("missedCriticalCount").GetInt32());
        var missed = Assert.Single(r.GetProperty("missedCritical").EnumerateArray());
        Assert.Equal(e, missed.GetProperty("groupId").GetInt64());
        Assert.StartsWith("never delivered: ", missed.GetProperty("why").GetString());

        var critical = r.GetProperty("bySeverity").EnumerateArray().Single(x => x.GetProperty("key").GetString() == "critical");
        AssertStats(critical.GetProperty("mtta"), 1, 600, 600);
        // Per project: A, B, C are web-storefront's; D and E (the fatal fixture) orders-api's.
        var funnel = r.GetProperty("funnel").EnumerateArray().ToDictionary(f => f.GetProperty("project").GetString()!,
            f => (f.GetProperty("events").GetInt32(), f.GetProperty("groups").GetInt32(), f.GetProperty("topLevelPosts").GetInt32(),
                f.GetProperty("humanActions").GetInt32()));
        Assert.Equal((7, 3, 3, 4), funnel["web-storefront"]);
        Assert.Equal((2, 2, 1, 1), funnel["orders-api"]);

        // The overview reads the same formula.
        var overview = await owner.Client.GetFromJsonAsync<JsonElement>("/api/dashboard/overview?range=24h");
        Assert.Equal((0.75, 300.0, 540.0), (overview.GetProperty("ackRate").GetDouble(), overview.GetProperty("mttaMedianSeconds").GetDouble(),
            overview.GetProperty("mttaP90Seconds").GetDouble()));
    }

    [Fact]
    public async Task NoisyBucket_GetsAConcreteSuggestion_AndABadRangeIsRefused()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        for (var i = 0; i < 8; i++)
        {
            await IssueSender.SendAsync(owner, integration, "800001", $"staging{i}", "event_alert.warning.staging");
        }
        await IssueSender.SendAsync(owner, integration, "800002", "prod1");
        await IssueSender.SendAsync(owner, integration, "800003", "prod2");

        var r = await ReportAsync(owner);
        var suggestion = Assert.Single(r.GetProperty("suggestions").EnumerateArray());
        Assert.Equal("staging", suggestion.GetProperty("environment").GetString());
        var text = suggestion.GetProperty("suggestion").GetString()!;
        Assert.Contains("80% of events in 1 group", text);
        Assert.Contains("route staging to a quieter channel", text);
        Assert.Equal(1.0, r.GetProperty("noiseReduction").GetDouble()); // nothing routed: no posts at all

        var bad = await owner.Client.GetAsync("/api/metrics/outcomes?range=2w");
        await bad.AssertStatusAsync(HttpStatusCode.BadRequest);
        Assert.Contains("1h, 24h, 7d, 30d", await bad.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> ReportAsync(TestUser owner)
    {
        await owner.SignInAgainAsync();
        return await owner.Client.GetFromJsonAsync<JsonElement>("/api/metrics/outcomes?range=24h");
    }

    private static async Task ActAtAsync(SignalCraftApp app, TestUser owner, TimeSpan advance, long groupId, string action)
    {
        app.Clock.Advance(advance);
        await owner.SignInAgainAsync();
        (await owner.Client.PostAsJsonAsync($"/api/alert-groups/{groupId}/{action}", new { })).EnsureSuccessStatusCode();
    }

    private static void AssertStats(JsonElement stats, int count, double median, double p90) =>
        Assert.Equal((count, median, p90), (stats.GetProperty("count").GetInt32(), stats.GetProperty("medianSeconds").GetDouble(),
            stats.GetProperty("p90Seconds").GetDouble()));
}
