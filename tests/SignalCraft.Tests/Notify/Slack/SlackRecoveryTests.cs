using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Jobs;
using SignalCraft.Notify;
using SignalCraft.Notify.Slack;
using SignalCraft.Tests.TestHost;
using Scenario = SignalCraft.Tests.Notify.Slack.SlackFailureTests.Scenario;

namespace SignalCraft.Tests.Notify.Slack;

/// <summary>
/// Found by the full Slack failures drill (bench/faults): while Slack rate-limited the history checks, every retry of a
/// critical post went out unchecked (2–4 top-level messages per group), the unchecked posts that failed again were not
/// marked as possible duplicates, and groups backing off after the failures were still waiting minutes after Slack had
/// recovered.
/// </summary>
public sealed class SlackRecoveryTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CriticalPost_HistoryCheckRateLimitedOnEveryRetry_PostsUncheckedOnlyOnce_MarkedEvenWhenItFailed(DatabaseProvider provider)
    {
        await using var s = await Scenario.StartAsync(provider);
        // Both posts are stored and answered fatal_error; the first two history checks are answered 429.
        await s.Emulator.FailAsync(new { method = "chat.postMessage", kind = "fatal_error", count = 2 });
        await s.Emulator.FailAsync(new { method = "conversations.history", kind = "ratelimited", retryAfter = 5, count = 2 });

        var groupId = await s.SendAsync("event_alert.fatal.production");
        await AttemptsAsync(s, groupId, 1);
        s.App.Clock.Advance(TimeSpan.FromSeconds(2)); // past the first backoff: the check is rate limited, the critical goes out unchecked
        await AttemptsAsync(s, groupId, 2);
        s.App.Clock.Advance(TimeSpan.FromSeconds(20)); // past the second backoff: the check is rate limited again
        await AttemptsAsync(s, groupId, 3);
        Assert.Equal(2, (await s.Emulator.CallsAsync("chat.postMessage")).Count); // the second unchecked post did not happen
        s.App.Clock.Advance(TimeSpan.FromSeconds(5)); // Retry-After: the check answers and finds the copies
        var log = await AttemptsAsync(s, groupId, 4);

        Assert.Equal(2, (await s.Emulator.MessagesAsync()).Count); // the stored first attempt and the one unchecked page
        Assert.Equal(2, (await s.Emulator.CallsAsync("chat.postMessage")).Count);
        Assert.Equal(new[] { false, true, false, false }, log.Select(l => l.PossibleDuplicate));
        Assert.StartsWith("ambiguous: chat.postMessage", log[1].Error); // the unchecked post failed, and is marked all the same
        Assert.StartsWith("ambiguous: history check failed", log[2].Error);
        Assert.Equal("RateLimited", log[2].Category);
        Assert.Equal(NotificationStatus.Sent, log[3].Status);
        Assert.Contains(log[3].MessageRef, (await s.Emulator.MessagesAsync()).Select(m => m.GetProperty("ts").GetString()));
        Assert.Equal(log[3].MessageRef, await s.MessageRefAsync(groupId));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task FirstSuccessAfterFailures_WakesTheBacklog_InsteadOfWaitingOutItsBackoff(DatabaseProvider provider)
    {
        await using var s = await Scenario.StartAsync(provider);
        await s.Emulator.FailAsync(new { method = "chat.postMessage", kind = "http_error", status = 503, count = 2 });
        var start = s.App.Clock.GetUtcNow().UtcDateTime;

        var waiting = await s.SendAsync(issueId: "7001");
        await AttemptsAsync(s, waiting, 1);
        s.App.Clock.Advance(TimeSpan.FromSeconds(1.5));
        await AttemptsAsync(s, waiting, 2);
        var backedOff = (await s.SendJobAsync(waiting))!;
        Assert.True(backedOff.ScheduledAt > s.App.Clock.GetUtcNow().UtcDateTime.AddSeconds(10), $"backing off until {backedOff.ScheduledAt:O}");

        // Slack answers again: another group's first post is the first success since the failures.
        var fresh = await s.SendAsync(issueId: "7002");
        await s.QuietAsync();
        s.App.Clock.Advance(TimeSpan.FromSeconds(1)); // the channel's post interval after the last attempt
        await Eventually.WaitAsync(() => s.MessageRefAsync(fresh), r => r is not null, "the fresh group's post");
        await s.QuietAsync();
        s.App.Clock.Advance(TimeSpan.FromSeconds(1)); // the channel's post interval after that post

        await Eventually.WaitAsync(() => s.MessageRefAsync(waiting), r => r is not null, "the backlog's post, long before its backoff");
        Assert.True(s.App.Clock.GetUtcNow().UtcDateTime < backedOff.ScheduledAt);
        Assert.Equal(2, (await s.Emulator.MessagesAsync()).Count);
        Assert.Equal(JobState.Completed, (await s.SendJobAsync(waiting))!.State);
        Assert.True(s.App.Clock.GetUtcNow().UtcDateTime - start < TimeSpan.FromSeconds(10));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task HistoryRead_AnswersTheOtherChecksInItsChannel_WhoseAttemptsHadEndedBeforeIt(DatabaseProvider provider)
    {
        await using var s = await Scenario.StartAsync(provider);
        var (first, firstTs) = await s.AlertAsync();
        s.App.Clock.Advance(TimeSpan.FromSeconds(2));
        var (second, secondTs) = await s.AlertAsync();
        var now = s.App.Clock.GetUtcNow().UtcDateTime;
        var ended = new UnsettledAttempts(now.AddMinutes(-3), now.AddMinutes(-2)); // long over when the read starts

        var answers = await s.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<SignalCraftDbContext>();
            var target = await db.Set<NotificationTarget>().SingleAsync();
            var connection = (await sp.GetRequiredService<SignalCraft.Integrations.Slack.SlackTokens>().FindAsync(target.ConnectionId, default))!;
            var history = sp.GetRequiredService<SlackHistory>();
            var a = await history.FindAsync(connection, target.Channel!, ended, first, target.Id, AmbiguousAttempts.TopKey, default);
            var b = await history.FindAsync(connection, target.Channel!, ended, second, target.Id, AmbiguousAttempts.TopKey, default);
            var reads = (await s.Emulator.CallsAsync("conversations.history")).Count;
            // An attempt that may still be in flight is not settled by an earlier read: it reads again.
            var running = await history.FindAsync(connection, target.Channel!, new UnsettledAttempts(now.AddMinutes(-3), now), second, target.Id,
                AmbiguousAttempts.TopKey, default);
            return (a.Ts, b.Ts, reads, running.Ts);
        });

        Assert.Equal((firstTs, secondTs, 1, secondTs), answers);
        Assert.Equal(2, (await s.Emulator.CallsAsync("conversations.history")).Count);
    }

    /// <summary>Waits for the group's attempt <paramref name="count"/> to have its outcome and the queue to settle; the log so far.</summary>
    private static async Task<List<NotificationLog>> AttemptsAsync(Scenario s, long groupId, int count)
    {
        var log = await Eventually.WaitAsync(() => s.LogAsync(groupId), l => l.Count(r => r.FinishedAt != null) >= count,
            $"attempt {count}'s outcome");
        await s.QuietAsync(); // the worker waits on the fake clock: move it only once the retry is scheduled
        return log;
    }
}
