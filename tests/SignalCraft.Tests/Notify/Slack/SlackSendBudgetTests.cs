using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SignalCraft.Notify.Slack;

namespace SignalCraft.Tests.Notify.Slack;

/// <summary>
/// The per-channel send budget after Slack answered 429 with Retry-After (found by the Slack failures drill: other jobs
/// kept posting to the channel once a second, 2 to 3 s into a 5 s Retry-After), and waiting jobs told distinct turns
/// (found by the storm benchmark: hundreds of waiting updates woke together, one edited, the rest went back).
/// </summary>
public sealed class SlackSendBudgetTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Deferred_NoPostToThatChannelBeforeRetryAfter_OtherChannelsUnaffected()
    {
        var budget = new SlackSendBudget(_clock, Options.Create(new SlackOptions()));
        Assert.Null(budget.TryTake("T1", "#alerts", SendRank.Post, jobId: 1));
        _clock.Advance(TimeSpan.FromSeconds(1.5));

        budget.Defer("T1", "#alerts", TimeSpan.FromSeconds(5));

        var until = _clock.GetUtcNow().UtcDateTime.AddSeconds(5);
        Assert.Equal(until, budget.TryTake("T1", "#alerts", SendRank.CriticalFirstPost, jobId: 2));
        Assert.Null(budget.TryTake("T1", "#other", SendRank.Post, jobId: 3));
        Assert.Null(budget.TryTake("T2", "#alerts", SendRank.Post, jobId: 4));
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.NotNull(budget.TryTake("T1", "#alerts", SendRank.CriticalFirstPost, jobId: 2));
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Null(budget.TryTake("T1", "#alerts", SendRank.CriticalFirstPost, jobId: 2));
    }

    [Fact]
    public void Deferred_ShorterThanTheNextSlot_KeepsTheLaterOne()
    {
        var budget = new SlackSendBudget(_clock, Options.Create(new SlackOptions { PostInterval = TimeSpan.FromSeconds(10) }));
        Assert.Null(budget.TryTake("T1", "#alerts", SendRank.Post, jobId: 1));

        budget.Defer("T1", "#alerts", TimeSpan.FromSeconds(1));

        Assert.Equal(_clock.GetUtcNow().UtcDateTime.AddSeconds(10), budget.TryTake("T1", "#alerts", SendRank.Post, jobId: 2));
    }

    [Fact]
    public void WaitingUpdates_EachGetsItsOwnSlot_AndNoneGoesEarly()
    {
        // 60 a minute: a burst of 12, then one a second.
        var budget = new SlackSendBudget(_clock, Options.Create(new SlackOptions { UpdatesPerMinute = 60 }));
        var start = _clock.GetUtcNow().UtcDateTime;
        for (var job = 1; job <= 12; job++)
        {
            Assert.Null(budget.TryTake("T1", $"#c{job % 3}", SendRank.Update, job));
        }

        var slots = Enumerable.Range(13, 5).Select(job => budget.TryTake("T1", $"#c{job % 3}", SendRank.Update, job)).ToList();

        Assert.Equal(Enumerable.Range(1, 5).Select(k => (DateTime?)start.AddSeconds(k)), slots);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(budget.TryTake("T1", "#c1", SendRank.Update, 13));                    // its slot
        Assert.Equal(start.AddSeconds(2), budget.TryTake("T1", "#c2", SendRank.Update, 14)); // not before its own
        Assert.Equal(start.AddSeconds(6), budget.TryTake("T1", "#c0", SendRank.Update, 99)); // a newcomer queues behind
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(budget.TryTake("T1", "#c2", SendRank.Update, 14));
    }

    [Fact]
    public void WaitingPosts_ComeBackInTurn_AndACriticalFirstPostGoesFirst()
    {
        var budget = new SlackSendBudget(_clock, Options.Create(new SlackOptions()));
        var start = _clock.GetUtcNow().UtcDateTime;
        Assert.Null(budget.TryTake("T1", "#alerts", SendRank.Post, jobId: 1));

        Assert.Equal(start.AddSeconds(1), budget.TryTake("T1", "#alerts", SendRank.Post, jobId: 2));
        Assert.Equal(start.AddSeconds(2), budget.TryTake("T1", "#alerts", SendRank.Post, jobId: 3));
        Assert.Equal(start.AddSeconds(1), budget.TryTake("T1", "#alerts", SendRank.CriticalFirstPost, jobId: 4));

        _clock.Advance(TimeSpan.FromSeconds(1));
        // The critical one is waiting: job 2 gives its turn up and takes the first one nobody holds.
        Assert.Equal(start.AddSeconds(3), budget.TryTake("T1", "#alerts", SendRank.Post, jobId: 2));
        Assert.Null(budget.TryTake("T1", "#alerts", SendRank.CriticalFirstPost, jobId: 4));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(budget.TryTake("T1", "#alerts", SendRank.Post, jobId: 3));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(budget.TryTake("T1", "#alerts", SendRank.Post, jobId: 2));
    }
}
