using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Jobs;
using SignalCraft.Notify;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Notify.Slack;

/// <summary>Send budgets: about one post per second per channel, a critical first post before every other queued post.</summary>
public sealed class SlackPriorityTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CriticalArrivesBehindNineteenQueuedPosts_ItIsTheNextPostInTheChannel(DatabaseProvider provider)
    {
        // The emulator enforces Slack's limits here (1 post/s per channel, burst 2): staying within them is part of the test.
        await using var s = await SlackFailureTests.Scenario.StartAsync(provider, rateLimits: true);

        for (var i = 0; i < 19; i++)
        {
            await s.SendAsync("event_alert.error.production", issueId: $"71000000{i:00}");
        }
        await SlackTestKit.WaitForMessagesAsync(s.Emulator, 1);
        // The other 18 wait for the channel's budget (not failed, not lost: snoozed to the next free second).
        await Eventually.WaitAsync(() => WaitingSendsAsync(s.App), n => n == 18, "18 posts waiting for the channel's budget");

        var critical = await s.SendAsync("event_alert.fatal.production", issueId: "7199999999");
        await Eventually.WaitAsync(() => WaitingSendsAsync(s.App), n => n == 19, "the critical post waiting too");
        Assert.Single(await s.Emulator.MessagesAsync());

        await s.QuietAsync();
        s.App.Clock.Advance(TimeSpan.FromSeconds(1));
        var two = await SlackTestKit.WaitForMessagesAsync(s.Emulator, 2);
        Assert.StartsWith("[CRITICAL]", two[1].GetProperty("text").GetString());
        Assert.Equal(critical, two[1].GetProperty("metadata").GetProperty("event_payload").GetProperty("group_id").GetInt64());

        // The rest follow, one per second, without a single 429 from Slack.
        for (var second = 0; second < 18; second++)
        {
            var expected = 3 + second;
            await s.QuietAsync();
            s.App.Clock.Advance(TimeSpan.FromSeconds(1));
            await SlackTestKit.WaitForMessagesAsync(s.Emulator, expected);
        }
        Assert.Equal(20, (await s.Emulator.MessagesAsync()).Count);
        Assert.DoesNotContain(await s.Emulator.CallsAsync("chat.postMessage"), c => c.GetProperty("httpStatus").GetInt32() == 429);
        var log = await s.App.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<NotificationLog>().ToListAsync());
        Assert.Equal(20, log.Count(l => l.Status == NotificationStatus.Sent));
        Assert.DoesNotContain(log, l => l.Status == NotificationStatus.Failed); // a wait for the budget is not a failed attempt
    }

    private static Task<int> WaitingSendsAsync(SignalCraftApp app) => app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>()
        .Set<Job>().CountAsync(j => j.Kind == SendNotification.Kind && j.State == JobState.Retryable && j.Attempt == 0));
}
