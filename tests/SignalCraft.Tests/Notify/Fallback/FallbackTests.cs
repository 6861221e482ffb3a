using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Data;
using SignalCraft.Jobs;
using SignalCraft.Notify;
using SignalCraft.Notify.Fallback;
using SignalCraft.Tests.Notify.Slack;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Notify.Fallback;

/// <summary>
/// The workspace fallback: a revoked Slack token sends critical pages to the fallback webhook at once (inside the SLO) and
/// parks them for Slack, which gets the backlog once after the reconnect; a retryable outage brings the fallback in after
/// <c>Notify:FallbackAfter</c> and not before.
/// </summary>
public sealed class FallbackTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TokenRevoked_CriticalAlertsReachFallbackWithinSlo_ReconnectDeliversBacklogOnceToSlack(DatabaseProvider provider)
    {
        await using var s = await FallbackScenario.StartAsync(provider);
        await s.Emulator.PostAsync("/_emulator/tokens/revoke", new { token = await s.BotTokenAsync() });

        var openedAt = s.App.Clock.GetUtcNow().UtcDateTime;
        var first = await s.SendCriticalAsync("7001");
        var second = await s.SendCriticalAsync("7002");
        // A send that ran before the connection was known unhealthy may wait for the channel's budget (one post per second).
        for (var i = 0; i < 5 && s.Fallback.Requests.Count < 2; i++)
        {
            await s.QuietAsync();
            if (s.Fallback.Requests.Count < 2)
            {
                s.App.Clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
        var received = await s.Fallback.WaitForAsync(r => r.Count >= 2, "two fallback webhooks");

        Assert.Equal([first, second], received.Select(r => r.Json.GetProperty("group").GetProperty("id").GetInt64()).Order());
        Assert.All(received, r =>
        {
            Assert.Equal("group.opened", r.Type);
            Assert.Equal("critical", r.Json.GetProperty("group").GetProperty("severity").GetString());
            Assert.Contains("Auth", r.Json.GetProperty("fallback").GetProperty("reason").GetString());
        });
        Assert.Empty(await s.Emulator.MessagesAsync());
        // Within the SLO: on the app's clock no time has passed since the alerts arrived.
        var log = await Eventually.WaitAsync(() => s.LogAsync(first), l => l.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("isFallback").GetBoolean()
            && i.GetProperty("status").GetString() == "sent"), "the fallback in the notification log");
        var fallbackRow = log.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("isFallback").GetBoolean());
        Assert.StartsWith("webhook ", fallbackRow.GetProperty("target").GetString());
        Assert.True(fallbackRow.GetProperty("startedAt").GetDateTime() - openedAt < TimeSpan.FromSeconds(60));
        var primaryRow = log.GetProperty("items").EnumerateArray().First(i => !i.GetProperty("isFallback").GetBoolean());
        Assert.Equal("failed", primaryRow.GetProperty("status").GetString());
        Assert.Equal("Auth", primaryRow.GetProperty("category").GetString());
        var timeline = (await s.GroupAsync(first)).GetProperty("timeline").EnumerateArray().ToList();
        Assert.Contains(timeline, t => t.GetProperty("kind").GetString() == "fallback" && t.GetProperty("text").GetString()!.Contains("Slack C0ALERTS failed"));

        // The Slack notifications wait for the reconnect instead of being discarded.
        var parked = await Eventually.WaitAsync(() => s.JobsAsync(SendNotification.Kind), j => j.Count == 2 && j.All(x => x.State == JobState.Retryable),
            "both Slack notifications parked");
        Assert.All(parked, j => Assert.Contains(SendNotificationHandler.ParkedPrefix, j.Errors));

        await SlackTestKit.ConnectedAsync(s.Owner);
        for (var i = 0; i < 5 && (await s.Emulator.MessagesAsync()).Count < 2; i++)
        {
            await s.QuietAsync();
            s.App.Clock.Advance(TimeSpan.FromSeconds(2)); // past the channel's send budget (one post per second)
        }
        await SlackTestKit.WaitForMessagesAsync(s.Emulator, 2);
        await s.QuietAsync();

        Assert.Equal([first, second], (await s.Emulator.MessagesAsync())
            .Select(m => m.GetProperty("metadata").GetProperty("event_payload").GetProperty("group_id").GetInt64()).Order());
        Assert.Equal(2, (await s.Emulator.CallsAsync("chat.postMessage")).Count(c => c.GetProperty("ok").GetBoolean()));
        Assert.Equal(2, s.Fallback.Requests.Count(r => r.Type == "group.opened")); // the fallback was told once per group
        s.App.Clock.Advance(TimeSpan.FromMinutes(2));
        var outcomes = await s.Owner.Client.GetFromJsonAsync<JsonElement>("/api/metrics/outcomes?range=1h");
        Assert.Equal(0, outcomes.GetProperty("missedCriticalCount").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task RetryableOutage_FallbackAfterFallbackAfter_NotBefore_AndSlackStillGetsItOnce(DatabaseProvider provider)
    {
        await using var s = await FallbackScenario.StartAsync(provider);
        await s.Emulator.FailAsync(new { method = "chat.postMessage", kind = "http_error", durationSeconds = 120 });
        var start = s.App.Clock.GetUtcNow().UtcDateTime;

        var groupId = await s.SendCriticalAsync("7101");
        await Eventually.WaitAsync(() => s.LogRowsAsync(groupId), l => l.Any(r => r.Status == NotificationStatus.Failed), "the failed first attempt");
        await s.QuietAsync();
        var armed = (await s.JobsAsync(SendFallback.Kind)).Single();
        Assert.Equal(start + new NotifyOptions().FallbackAfter, armed.ScheduledAt);

        s.App.Clock.Advance(TimeSpan.FromSeconds(19));
        await s.QuietAsync();
        Assert.Empty(s.Fallback.Requests);
        Assert.Empty(await s.Emulator.MessagesAsync());

        s.App.Clock.Advance(TimeSpan.FromSeconds(1));
        var received = await s.Fallback.WaitForAsync(r => r.Count == 1, "the fallback webhook");
        Assert.Equal(groupId, received[0].Json.GetProperty("group").GetProperty("id").GetInt64());
        Assert.Contains("HTTP 500", received[0].Json.GetProperty("fallback").GetProperty("reason").GetString());
        var fallbackRow = (await Eventually.WaitAsync(() => s.LogRowsAsync(groupId), l => l.Any(r => r.IsFallback && r.FinishedAt != null), "the fallback row"))
            .Single(r => r.IsFallback);
        Assert.Equal(NotificationStatus.Sent, fallbackRow.Status);
        Assert.Equal(start.AddSeconds(20), fallbackRow.StartedAt);

        // Retries go on: once the outage ends the primary posts once, and the fallback is not told again.
        for (var i = 0; i < 12 && (await s.Emulator.MessagesAsync()).Count == 0; i++)
        {
            await s.QuietAsync();
            s.App.Clock.Advance(TimeSpan.FromSeconds(30));
        }
        await SlackTestKit.WaitForMessagesAsync(s.Emulator, 1);
        await s.QuietAsync();
        Assert.Single(await s.Emulator.MessagesAsync());
        Assert.Single(s.Fallback.Requests);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PrimaryDeliversInTime_FallbackNeverTold(DatabaseProvider provider)
    {
        await using var s = await FallbackScenario.StartAsync(provider);
        await s.Emulator.FailAsync(new { method = "chat.postMessage", kind = "http_error", count = 1 });

        var groupId = await s.SendCriticalAsync("7201");
        await Eventually.WaitAsync(() => s.LogRowsAsync(groupId), l => l.Any(r => r.Status == NotificationStatus.Failed), "the failed first attempt");
        await s.QuietAsync();
        s.App.Clock.Advance(TimeSpan.FromSeconds(10)); // the retry, well before FallbackAfter
        await SlackTestKit.WaitForMessagesAsync(s.Emulator, 1);
        await s.QuietAsync();
        s.App.Clock.Advance(TimeSpan.FromSeconds(30)); // the fallback's due time passes
        await Eventually.WaitAsync(() => s.JobsAsync(SendFallback.Kind), j => j.Single().State == JobState.Cancelled, "the fallback cancelled");

        Assert.Empty(s.Fallback.Requests);
        Assert.DoesNotContain(await s.LogRowsAsync(groupId), r => r.IsFallback);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SettingsApi_ShowsFallbackMasked_WarnsOnSharedSlackConnection_ClearsAndRefuses(DatabaseProvider provider)
    {
        await using var s = await FallbackScenario.StartAsync(provider);
        var settings = await s.Owner.Client.GetFromJsonAsync<JsonElement>("/api/workspace/settings");
        var fallback = settings.GetProperty("fallback");
        Assert.Equal("webhook", fallback.GetProperty("kind").GetString());
        Assert.DoesNotContain("secret-path", fallback.GetProperty("url").GetString());
        Assert.True(fallback.GetProperty("targetId").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("fallbackWarning").ValueKind);

        // A channel on the only Slack connection fails together with the rule's channel.
        var slack = await s.Owner.Client.PutAsJsonAsync("/api/workspace/settings", new { fallback = new { kind = "slack", channel = "#oncall" } });
        await slack.AssertStatusAsync(HttpStatusCode.OK);
        var shared = await slack.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("C0ONCALL", shared.GetProperty("fallback").GetProperty("channel").GetString());
        Assert.Equal(FallbackView.SharedFailureDomain, shared.GetProperty("fallbackWarning").GetString());

        var both = await s.Owner.Client.PutAsJsonAsync("/api/workspace/settings", new { fallback = new { kind = "webhook", url = s.Fallback.Url() }, clearFallback = true });
        Assert.Contains("not both", (await both.AssertValidationProblemAsync()).GetRawText());
        var bad = await s.Owner.Client.PutAsJsonAsync("/api/workspace/settings", new { fallback = new { kind = "pager" } });
        await bad.AssertValidationProblemAsync();
        Assert.Equal("C0ONCALL", (await s.Owner.Client.GetFromJsonAsync<JsonElement>("/api/workspace/settings"))
            .GetProperty("fallback").GetProperty("channel").GetString()); // refused input changed nothing

        var clear = await s.Owner.Client.PutAsJsonAsync("/api/workspace/settings", new { clearFallback = true });
        await clear.AssertStatusAsync(HttpStatusCode.OK);
        var cleared = await clear.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("fallback").ValueKind);
    }

    [Fact]
    public async Task FallbackAfter_NotBelowTheDeliverySlo_RefusedAtStart()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?> { ["Notify:FallbackAfter"] = "00:01:00" });

        var error = Assert.ThrowsAny<Exception>(() => app.Start());
        Assert.Contains("Notify:FallbackAfter", error.ToString());
    }
}
