using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Notify;
using SignalCraft.Notify.Webhook;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Notify;

public sealed class WebhookRoutingTests
{
    private static Dictionary<string, string?> Settings => new() { ["Notify:AllowPrivateTargets"] = "true" };

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task RoutedSentryAlert_ToWebhookTarget_OneSignedOpenedThenCoalescedUpdatesOnly(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db, Settings);
        app.Start();
        var logs = new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions()));
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(new FakeLoggerProvider(logs));
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        var rule = await CreateRuleAsync(owner, receiver.Url(), environments: ["production"]);
        var targetId = rule.GetProperty("actions").GetProperty("targets")[0].GetProperty("targetId").GetInt64();

        var first = await PostFixtureAsync(owner, integration, SentryFixture.Load("event_alert.error.production"));
        var opened = (await receiver.WaitForAsync(r => r.Count >= 1, "the first notification")).Single();

        Assert.Equal(WebhookEventTypes.Opened, opened.Type);
        var group = opened.Json.GetProperty("group");
        Assert.Equal(("high", "open", "production", 1), (group.GetProperty("severity").GetString(), group.GetProperty("status").GetString(),
            group.GetProperty("environment").GetString(), group.GetProperty("count").GetInt32()));
        Assert.Equal("prod high to receiver", opened.Json.GetProperty("rule").GetString());
        Assert.EndsWith($"/alerts/{group.GetProperty("id").GetInt64()}", group.GetProperty("link").GetString());
        var secret = (await (await owner.Client.PostAsync($"/api/notification-targets/{targetId}/signing-secret", null))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.Equal("v1=" + WebhookNotifier.Sign(secret, opened.Headers["X-SignalCraft-Timestamp"], Encoding.UTF8.GetBytes(opened.Body)),
            opened.Headers["X-SignalCraft-Signature"]);

        // The rule tester agrees with what was sent.
        var tested = await (await owner.Client.PostAsJsonAsync("/api/routing-rules/test", new { eventId = first.GetProperty("eventId").GetInt64() }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(targetId, tested.GetProperty("matches")[0].GetProperty("targets")[0].GetProperty("targetId").GetInt64());

        for (var i = 0; i < 30; i++)
        {
            await PostFixtureAsync(owner, integration, Grouping.NoisyAlerts.WithEventId(SentryFixture.Load("event_alert.error.production"), $"more{i}"));
        }
        app.Clock.Advance(TimeSpan.FromSeconds(31)); // the update interval
        var all = await receiver.WaitForAsync(r => r.Any(x => x.Type == WebhookEventTypes.Updated
            && x.Json.GetProperty("group").GetProperty("count").GetInt32() == 31), "the coalesced update with every event counted");

        // One "opened" ever; the production spike's raise to critical and the coalesced count are updates.
        Assert.Single(all, r => r.Type == WebhookEventTypes.Opened);
        var updates = all.Where(r => r.Type == WebhookEventTypes.Updated).ToList();
        Assert.InRange(updates.Count, 1, 2);
        Assert.Equal("critical", updates[^1].Json.GetProperty("group").GetProperty("severity").GetString());
        var log = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<NotificationLog>().OrderBy(l => l.Id).ToListAsync());
        Assert.Equal("opened", log[0].Kind);
        Assert.Equal(all.Count, log.Count);
        Assert.All(log, l => Assert.Equal(NotificationStatus.Sent, l.Status));

        // The webhook URL is a credential: masked in API answers, never in a log line.
        var rules = await owner.Client.GetStringAsync("/api/routing-rules");
        Assert.DoesNotContain("signalcraft-secret-path-7f3a", rules);
        Assert.Contains("\u2026", rules);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Message.Contains("signalcraft-secret-path-7f3a", StringComparison.Ordinal)
            || r.Message.Contains(secret, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Mute_MatchingNewGroup_HoldsUntilItEndsAndUnmatchedIsCountedUnrouted(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db, Settings);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        await CreateRuleAsync(owner, receiver.Url(), environments: ["production"]);
        var mute = await owner.Client.PostAsJsonAsync("/api/mutes", new
        {
            conditions = new { projects = new[] { "orders-api" } }, endsAt = app.Clock.GetUtcNow().AddMinutes(10), comment = "deploy 4512",
        });
        await mute.AssertStatusAsync(HttpStatusCode.Created);

        var muted = (await PostFixtureAsync(owner, integration, SentryFixture.Load("event_alert.fatal.production"))).GetProperty("groupId").GetInt64();
        await Eventually.WaitAsync(() => app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<NotificationLog>()
            .CountAsync(l => l.GroupId == muted && l.Status == NotificationStatus.Held)), n => n >= 1, "the held notification");
        Assert.Empty(receiver.Requests);
        var timeline = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{muted}");
        Assert.Contains(timeline.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("text").GetString()!.Contains("deploy 4512"));

        await PostFixtureAsync(owner, integration, SentryFixture.Load("event_alert.warning.staging"));
        var overview = await owner.Client.GetFromJsonAsync<JsonElement>("/api/dashboard/overview");
        Assert.Equal(1, overview.GetProperty("unroutedCount").GetInt32());

        app.Clock.Advance(TimeSpan.FromMinutes(11));
        var released = await receiver.WaitForAsync(r => r.Count >= 1, "the release at the mute's end");
        Assert.Equal(muted, released.Single().Json.GetProperty("group").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task CreateRule_PrivateWebhookAddressWithoutSetting_Refused422()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");

        var response = await owner.Client.PostAsJsonAsync("/api/routing-rules", RuleBody("http://127.0.0.1:9/hook", null));

        Assert.Contains("private", await response.AssertProblemAsync((HttpStatusCode)422));
        Assert.Equal("[]", await owner.Client.GetStringAsync("/api/routing-rules"));
    }

    internal static async Task<JsonElement> CreateRuleAsync(TestUser admin, string url, string[]? environments = null)
    {
        var response = await admin.Client.PostAsJsonAsync("/api/routing-rules", RuleBody(url, environments));
        await response.AssertStatusAsync(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static object RuleBody(string url, string[]? environments) => new
    {
        name = "prod high to receiver",
        conditions = new { environments, minSeverity = "high" },
        actions = new { targets = new[] { new { kind = "webhook", url } }, mention = "auto" },
    };

    private static async Task<JsonElement> PostFixtureAsync(TestUser user, SentryIntegrationApi.Created integration, FixtureRequest fixture)
    {
        using var client = user.App.CreateClient();
        var response = await SentryWebhookClient.PostAsync(client, integration.Path, fixture, user.App);
        await response.AssertStatusAsync(HttpStatusCode.Accepted);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
