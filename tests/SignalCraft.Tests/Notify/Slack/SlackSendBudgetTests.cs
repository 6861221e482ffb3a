using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SignalCraft.Notify.Slack;

namespace SignalCraft.Tests.Notify.Slack;

/// <summary>
/// The per-channel send budget after Slack answered 429 with Retry-After. Found by the Slack failures drill
/// (bench/faults): other jobs kept posting to the channel once a second, 2 to 3 s into a 5 s Retry-After.
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
}
