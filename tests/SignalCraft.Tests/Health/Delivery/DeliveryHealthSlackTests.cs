using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Health.Delivery;
using SignalCraft.Jobs;
using SignalCraft.Tests.Notify.Slack;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Health.Delivery;

/// <summary>Delivery Health against the Slack emulator: a revoked token, a reconnect, a discarded notification retried.</summary>
public sealed class DeliveryHealthSlackTests
{
    private static readonly TimeSpan CheckInterval = new DeliveryHealthOptions().TokenCheckInterval;

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task RevokedToken_WithinOneAuthTestCycle_SlackRowRedWithReason_ReconnectTurnsItGreen(DatabaseProvider provider)
    {
        await using var s = await DeliveryScenario.StartAsync(provider);
        var before = await s.SlackRowAsync();
        Assert.Equal("green", before.GetProperty("state").GetString());
        await WaitForScheduledCheckAsync(s);

        await s.Emulator.PostAsync("/_emulator/tokens/revoke", new { token = await s.BotTokenAsync() });
        // Nothing was sent meanwhile: only the scheduled auth.test can notice.
        Assert.Equal("green", (await s.SlackRowAsync()).GetProperty("state").GetString());
        s.App.Clock.Advance(CheckInterval);

        var red = await Eventually.WaitAsync(s.SlackRowAsync, r => r.GetProperty("state").GetString() == "red", "the Slack row turning red");
        var reason = red.GetProperty("reason").GetString()!;
        Assert.StartsWith("Slack token revoked", reason);
        Assert.EndsWith("— reconnect Slack", reason);
        Assert.Equal("refused", red.GetProperty("tokenStatus").GetString());
        Assert.Contains("token_revoked", red.GetProperty("tokenError").GetString());
        Assert.Equal(s.App.Clock.GetUtcNow().UtcDateTime, red.GetProperty("tokenCheckedAt").GetDateTime());
        var channel = red.GetProperty("targets").EnumerateArray().Single();
        Assert.Equal("red", channel.GetProperty("state").GetString());
        Assert.Contains("reconnect Slack", channel.GetProperty("reason").GetString());
        var report = await s.HealthAsync();
        Assert.Equal("red", report.GetProperty("state").GetString());
        Assert.DoesNotContain("xox", report.GetRawText());
        Assert.Equal(2, (await s.Emulator.CallsAsync("auth.test")).Count); // the connect's, then the scheduled check

        // Reconnecting (a new token) is what turns it green, and the next cycle's check of the new token keeps it green.
        await SlackTestKit.ConnectedAsync(s.Owner);
        var green = await s.SlackRowAsync();
        Assert.Equal("green", green.GetProperty("state").GetString());
        Assert.Equal("ok", green.GetProperty("tokenStatus").GetString());
        await WaitForScheduledCheckAsync(s);
        s.App.Clock.Advance(CheckInterval);
        await Eventually.WaitAsync(() => s.Emulator.CallsAsync("auth.test"), c => c.Count == 4, "the next cycle's auth.test");
        await Eventually.WaitAsync(() => CheckJobAsync(s), j => j is { State: JobState.Retryable } && j.ScheduledAt > s.App.Clock.GetUtcNow().UtcDateTime,
            "the check snoozing until the next cycle");
        Assert.Equal("green", (await s.SlackRowAsync()).GetProperty("state").GetString());
        Assert.Equal("green", (await s.SlackRowAsync()).GetProperty("targets")[0].GetProperty("state").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task DiscardedNotification_RetriedTwice_DeliveredOnceAndTheRowTurnsGreen(DatabaseProvider provider)
    {
        await using var s = await DeliveryScenario.StartAsync(provider);
        await s.Emulator.FailAsync(new { method = "chat.postMessage", kind = "channel_not_found" });

        var groupId = await SlackTestKit.SendAlertAsync(s.Owner, s.Integration);
        var broken = await Eventually.WaitAsync(async () => (await s.SlackRowAsync()).GetProperty("targets")[0],
            t => t.GetProperty("discarded").GetArrayLength() == 1, "the discarded notification listed");
        Assert.Equal("red", broken.GetProperty("state").GetString());
        Assert.Contains("channel not found", broken.GetProperty("reason").GetString());
        var discarded = broken.GetProperty("discarded")[0];
        Assert.Equal(groupId, discarded.GetProperty("groupId").GetInt64());
        Assert.Contains("channel_not_found", discarded.GetProperty("error").GetString());
        Assert.Empty(await s.Emulator.MessagesAsync());

        // The channel is fine again (the failure fired once); Retry twice, as a double click would. The clock moves past
        // the channel's send budget (one post per second) first.
        s.App.Clock.Advance(TimeSpan.FromSeconds(2));
        var retryUrl = discarded.GetProperty("retryUrl").GetString()!;
        var first = await s.Owner.Client.PostAsync(retryUrl, null);
        var second = await s.Owner.Client.PostAsync(retryUrl, null);
        await first.AssertStatusAsync(HttpStatusCode.Accepted);
        Assert.Contains("no longer discarded", await second.AssertProblemAsync(HttpStatusCode.Conflict));

        await SlackTestKit.WaitForMessagesAsync(s.Emulator, 1);
        var log = await Eventually.WaitAsync(() => s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/notifications?groupId={groupId}"),
            l => l.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("status").GetString() == "sent"), "the retried attempt in the log");
        var items = log.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["sent", "failed"], items.Select(i => i.GetProperty("status").GetString()));
        Assert.Equal("Slack C0ALERTS", items[0].GetProperty("target").GetString());
        Assert.Contains("channel_not_found", items[1].GetProperty("error").GetString());
        Assert.Equal("Config", items[1].GetProperty("category").GetString());
        Assert.Single(await s.Emulator.MessagesAsync());
        Assert.Single(await s.Emulator.CallsAsync("chat.postMessage"), c => c.GetProperty("ok").GetBoolean());

        var healed = (await s.SlackRowAsync()).GetProperty("targets")[0];
        Assert.Equal("green", healed.GetProperty("state").GetString());
        Assert.StartsWith("last delivered", healed.GetProperty("reason").GetString());
        Assert.Equal(0, healed.GetProperty("discarded").GetArrayLength());
        var again = await s.Owner.Client.PostAsync(retryUrl, null);
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task NotificationLog_Filters_NewestFirstWithPagingAndClearErrors(DatabaseProvider provider)
    {
        await using var s = await DeliveryScenario.StartAsync(provider);
        var groups = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            groups.Add(await SlackTestKit.SendAlertAsync(s.Owner, s.Integration, issueId: $"90{i}"));
            await SlackTestKit.WaitForMessagesAsync(s.Emulator, i + 1); // one at a time, so the log's order is the groups' order
            s.App.Clock.Advance(TimeSpan.FromSeconds(2)); // past the channel's send budget (one post per second)
        }
        await Eventually.WaitAsync(() => s.Owner.Client.GetFromJsonAsync<JsonElement>("/api/notifications?status=sent"),
            l => l.GetProperty("items").GetArrayLength() == 3, "three sent attempts");

        var page1 = await s.Owner.Client.GetFromJsonAsync<JsonElement>("/api/notifications?limit=2");
        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        var cursor = page1.GetProperty("nextCursor").GetInt64();
        var page2 = await s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/notifications?limit=2&cursor={cursor}");
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("nextCursor").ValueKind);
        var all = page1.GetProperty("items").EnumerateArray().Concat(page2.GetProperty("items").EnumerateArray()).ToList();
        Assert.Equal(groups.AsEnumerable().Reverse(), all.Select(i => i.GetProperty("groupId").GetInt64()));

        var one = await s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/notifications?groupId={groups[1]}");
        Assert.Equal(groups[1], one.GetProperty("items").EnumerateArray().Single().GetProperty("groupId").GetInt64());
        Assert.Equal(0, (await s.Owner.Client.GetFromJsonAsync<JsonElement>("/api/notifications?status=failed")).GetProperty("items").GetArrayLength());
        var bad = await s.Owner.Client.GetAsync("/api/notifications?status=lost");
        Assert.True((await bad.AssertValidationProblemAsync()).TryGetProperty("status", out _));
        await (await s.Owner.Client.GetAsync("/api/notifications?groupId=999999")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static Task<Job?> CheckJobAsync(DeliveryScenario s) => s.App.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>()
        .Set<Job>().AsNoTracking().Where(j => j.UniqueKey == CheckSlackToken.UniqueKeyFor(1)).FirstOrDefaultAsync());

    /// <summary>The scheduled check is armed (the clock may move only once it waits for its due time).</summary>
    private static Task WaitForScheduledCheckAsync(DeliveryScenario s) => Eventually.WaitAsync(() => CheckJobAsync(s),
        j => j is { State: JobState.Scheduled or JobState.Retryable } && j.ScheduledAt > s.App.Clock.GetUtcNow().UtcDateTime, "the scheduled token check");
}
