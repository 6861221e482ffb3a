using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Health.Canary;
using SignalCraft.Jobs;
using SignalCraft.Timers;
using SignalCraft.Tests.Notify.Fallback;
using SignalCraft.Tests.Notify.Slack;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Health.Canary;

/// <summary>
/// The canary: a synthetic alert through ingest, grouping, routing and the Slack send, on a schedule driven by the app's
/// fake clock. Its round trip shows on Delivery Health; a canary Slack refuses is missed and raises SignalCraft's own alert,
/// which the next delivered canary resolves. Canaries stay out of the inbox and the outcome figures.
/// </summary>
public sealed class CanaryTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Canary_OnSchedule_PostsThroughPipeline_RoundTripOnDeliveryHealth_NotInInboxOrFigures(DatabaseProvider provider)
    {
        await using var s = await FallbackScenario.StartAsync(provider);
        var put = await s.Owner.Client.PutAsJsonAsync("/api/workspace/settings",
            new { canary = new { intervalMinutes = 15, target = new { kind = "slack", channel = "#oncall" } } });
        await put.AssertStatusAsync(HttpStatusCode.OK);
        var canary = (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("canary");
        Assert.Equal(15, canary.GetProperty("intervalMinutes").GetInt32());
        Assert.False(canary.GetProperty("useFallback").GetBoolean());
        Assert.Equal(SlackEmulatorHost.Oncall, canary.GetProperty("target").GetProperty("channel").GetString());

        await AdvanceAsync(s, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(7));
        Assert.Empty(await s.Emulator.MessagesAsync(SlackEmulatorHost.Oncall));
        Assert.Equal("amber", (await CanaryHealthAsync(s)).GetProperty("state").GetString());

        await AdvanceAsync(s, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        var sentAt = s.App.Clock.GetUtcNow().UtcDateTime;
        var posted = await SlackTestKit.WaitForMessagesAsync(s.Emulator, 1, SlackEmulatorHost.Oncall);
        Assert.Contains("SignalCraft canary", posted.Single().GetProperty("text").GetString());
        await AdvanceAsync(s, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)); // the canary job looks for the delivery

        var health = await CanaryHealthAsync(s);
        Assert.Equal("delivered", health.GetProperty("lastStatus").GetString());
        Assert.Equal("green", health.GetProperty("state").GetString());
        Assert.Equal(sentAt, health.GetProperty("lastRunAt").GetDateTime());
        var roundTrip = health.GetProperty("roundTripMs").GetInt64();
        Assert.Equal(sentAt.AddMilliseconds(roundTrip), health.GetProperty("lastDeliveredAt").GetDateTime());
        Assert.Contains($"reached Slack {SlackEmulatorHost.Oncall} in {roundTrip} ms", health.GetProperty("reason").GetString());
        Assert.Empty(await s.Emulator.MessagesAsync()); // #alerts, where the rule sends real alerts, got nothing

        // Not an incident: not in the inbox (any status), not in the outcome figures.
        var inbox = await s.Owner.Client.GetFromJsonAsync<JsonElement>("/api/alerts?status=open,acknowledged,snoozed,resolved");
        Assert.Empty(inbox.GetProperty("items").EnumerateArray());
        var outcomes = await s.Owner.Client.GetFromJsonAsync<JsonElement>("/api/metrics/outcomes?range=24h");
        Assert.Equal(0, outcomes.GetProperty("events").GetInt32());
        Assert.Equal(0, outcomes.GetProperty("topLevelPosts").GetInt32());

        // The next one comes an interval later.
        await AdvanceAsync(s, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(5));
        await SlackTestKit.WaitForMessagesAsync(s.Emulator, 2, SlackEmulatorHost.Oncall);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BlockedCanary_Missed_RaisesSignalCraftAlertToFallback_NextDeliveredCanaryResolvesIt(DatabaseProvider provider)
    {
        await using var s = await FallbackScenario.StartAsync(provider);
        var rule = await s.Owner.Client.PostAsJsonAsync("/api/routing-rules", new
        {
            name = "SignalCraft's own alerts",
            conditions = new { sources = new[] { "signalcraft" } },
            actions = new { targets = new[] { new { kind = "slack", channel = "#oncall" } }, mention = "none" },
        });
        await rule.AssertStatusAsync(HttpStatusCode.Created);
        var put = await s.Owner.Client.PutAsJsonAsync("/api/workspace/settings",
            new { canary = new { intervalMinutes = 15, target = new { kind = "slack", channel = "#alerts" } } });
        await put.AssertStatusAsync(HttpStatusCode.OK);
        await s.Emulator.PostAsync("/_emulator/tokens/revoke", new { token = await s.BotTokenAsync() });

        await AdvanceAsync(s, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(5)); // the canary enters; Slack refuses it
        await AdvanceAsync(s, TimeSpan.FromSeconds(110), TimeSpan.FromSeconds(5));
        Assert.Null(await MissedAlertAsync(s)); // not missed before the deadline (2 min)

        await AdvanceAsync(s, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));
        var missed = await Eventually.WaitAsync(() => MissedAlertAsync(s), g => g is not null, "SignalCraft's canary-missed alert");
        Assert.Equal(GroupStatus.Open, missed!.Status);
        Assert.Equal(Severity.High, missed.Severity);
        Assert.Contains($"not delivered to Slack {SlackEmulatorHost.Alerts}", missed.Title);
        // Slack is down, so SignalCraft's alert reaches the fallback webhook.
        var told = await s.Fallback.WaitForAsync(r => r.Any(x => x.Type == "group.opened" && x.Json.GetProperty("group").GetProperty("id").GetInt64() == missed.Id),
            "the missed-canary alert at the fallback");
        Assert.Contains("Canary missed", told.Last(x => x.Type == "group.opened").Json.GetProperty("group").GetProperty("title").GetString());
        var health = await CanaryHealthAsync(s);
        Assert.Equal(("missed", "red"), (health.GetProperty("lastStatus").GetString(), health.GetProperty("state").GetString()));
        Assert.Contains("Auth", health.GetProperty("detail").GetString());
        var report = await s.Owner.Client.GetFromJsonAsync<JsonElement>("/api/health/delivery");
        Assert.Equal("red", report.GetProperty("state").GetString());

        // Reconnected: the stale canary is not posted late, and the next one is delivered and resolves the alert.
        await SlackTestKit.ConnectedAsync(s.Owner);
        await AdvanceAsync(s, TimeSpan.FromMinutes(12), TimeSpan.FromMinutes(1)); // 29 minutes in
        Assert.Empty(await s.Emulator.MessagesAsync());
        await AdvanceAsync(s, TimeSpan.FromSeconds(75), TimeSpan.FromSeconds(5)); // the next canary at 30 minutes
        await SlackTestKit.WaitForMessagesAsync(s.Emulator, 1);
        var resolved = await Eventually.WaitAsync(() => MissedAlertAsync(s), g => g?.Status == GroupStatus.Resolved, "the missed-canary alert resolved");
        Assert.Equal(missed.Id, resolved!.Id);
        health = await CanaryHealthAsync(s);
        Assert.Equal(("delivered", "green"), (health.GetProperty("lastStatus").GetString(), health.GetProperty("state").GetString()));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CanarySettings_RefuseBadInput_UseFallback_Clear(DatabaseProvider provider)
    {
        await using var s = await FallbackScenario.StartAsync(provider);
        async Task<string> RefusedAsync(object body) =>
            (await (await s.Owner.Client.PutAsJsonAsync("/api/workspace/settings", body)).AssertValidationProblemAsync()).GetRawText();

        Assert.Contains("between 5 and 1440", await RefusedAsync(new { canary = new { intervalMinutes = 2, useFallback = true } }));
        Assert.Contains("must be a Slack channel", await RefusedAsync(new { canary = new { target = new { kind = "webhook", url = s.Fallback.Url() } } }));
        Assert.Contains("not both", await RefusedAsync(new { canary = new { useFallback = true }, clearCanary = true }));
        Assert.Contains("needs a target", await RefusedAsync(new { canary = new { useFallback = true }, clearFallback = true }));
        var unchanged = await s.Owner.Client.GetFromJsonAsync<JsonElement>("/api/workspace/settings");
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("canary").ValueKind);
        Assert.Equal(JsonValueKind.Object, unchanged.GetProperty("fallback").ValueKind); // a refused request changed nothing

        var toFallback = await s.Owner.Client.PutAsJsonAsync("/api/workspace/settings", new { canary = new { useFallback = true } });
        await toFallback.AssertStatusAsync(HttpStatusCode.OK);
        var canary = (await toFallback.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("canary");
        Assert.Equal((15, true), (canary.GetProperty("intervalMinutes").GetInt32(), canary.GetProperty("useFallback").GetBoolean()));

        var clear = await s.Owner.Client.PutAsJsonAsync("/api/workspace/settings", new { clearCanary = true });
        await clear.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, (await clear.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("canary").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Retention_DropsCanaryRecordsOlderThanEventRetention_KeepsRecentOnes(DatabaseProvider provider)
    {
        await using var s = await FallbackScenario.StartAsync(provider);
        var put = await s.Owner.Client.PutAsJsonAsync("/api/workspace/settings",
            new { canary = new { intervalMinutes = 15, target = new { kind = "slack", channel = "#oncall" } } });
        await put.AssertStatusAsync(HttpStatusCode.OK);
        await AdvanceAsync(s, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(5));
        var first = await Eventually.WaitAsync(() => RunsAsync(s), r => r.Count == 1, "the first canary");

        await AdvanceAsync(s, TimeSpan.FromDays(91), TimeSpan.FromDays(91)); // one long jump: the next canary runs once, now
        await Eventually.WaitAsync(() => RunsAsync(s), r => r.Count == 2, "the canary after the jump");
        await s.App.WithScopeAsync(async sp =>
        {
            var run = new RunRetention(s.App.Clock.GetUtcNow().UtcDateTime);
            await sp.GetRequiredService<JobClient>().EnqueueAsync(run, new EnqueueOptions { UniqueKey = run.UniqueKey });
            return await sp.GetRequiredService<SignalCraftDbContext>().SaveChangesAsync();
        });

        var left = await Eventually.WaitAsync(() => RunsAsync(s), r => r.Count == 1, "the 91-day-old canary's removal");
        Assert.NotEqual(first.Single().Id, left.Single().Id);
    }

    private static Task<List<CanaryRun>> RunsAsync(FallbackScenario s) => s.App.WithScopeAsync(sp =>
        sp.GetRequiredService<SignalCraftDbContext>().Set<CanaryRun>().IgnoreQueryFilters().AsNoTracking()
            .OrderBy(r => r.Id).ToListAsync());

    /// <summary>Moves the clock in steps, letting everything due run in between.</summary>
    private static async Task AdvanceAsync(FallbackScenario s, TimeSpan total, TimeSpan step)
    {
        for (var moved = TimeSpan.Zero; moved < total; moved += step)
        {
            await s.QuietAsync();
            s.App.Clock.Advance(step < total - moved ? step : total - moved);
        }
        await s.QuietAsync();
    }

    private static async Task<JsonElement> CanaryHealthAsync(FallbackScenario s) =>
        (await s.Owner.Client.GetFromJsonAsync<JsonElement>("/api/health/delivery")).GetProperty("canary");

    private static Task<AlertGroup?> MissedAlertAsync(FallbackScenario s) => s.App.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>()
        .Set<AlertGroup>().IgnoreQueryFilters().AsNoTracking().Where(g => g.Source == "signalcraft" && g.Identity == "canary:missed")
        .OrderByDescending(g => g.Id).FirstOrDefaultAsync());
}
