using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SignalCraft.Notify.Slack;

namespace SignalCraft.Tests.Notify.Slack;

/// <summary>
/// The per-team pacing of history checks. Found by the Slack failures drill (bench/faults): after a burst of ambiguous
/// posts every retry checked the history at once, 153 checks were answered 429, and critical posts went out unchecked.
/// </summary>
public sealed class SlackHistoryBudgetTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    private SlackHistoryBudget Budget(int perMinute = 30) =>
        new(_clock, Options.Create(new SlackOptions { HistoryChecksPerMinute = perMinute }));

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    [Fact]
    public void Waiters_GetTheirOwnSlots_OneEveryIntervalInOrder()
    {
        var budget = Budget(perMinute: 30); // one check every 2 s
        var start = Now;

        Assert.Null(budget.TryTake("T1", critical: false, jobId: 1));
        Assert.Equal(start.AddSeconds(2), budget.TryTake("T1", critical: false, jobId: 2));
        Assert.Equal(start.AddSeconds(4), budget.TryTake("T1", critical: false, jobId: 3));
        Assert.Null(budget.TryTake("T2", critical: false, jobId: 4)); // another team has its own tier

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(start.AddSeconds(4), budget.TryTake("T1", critical: false, jobId: 3)); // not its turn yet
        Assert.Null(budget.TryTake("T1", critical: false, jobId: 2));
        Assert.Equal(start.AddSeconds(6), budget.TryTake("T1", critical: false, jobId: 5)); // a newcomer queues behind job 3
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(budget.TryTake("T1", critical: false, jobId: 3));
    }

    [Fact]
    public void Critical_GoesAheadOfTheQueue_AndPushesTheNextSlotBack()
    {
        var budget = Budget(perMinute: 30);
        var start = Now;
        Assert.Null(budget.TryTake("T1", critical: false, jobId: 1));

        Assert.Null(budget.TryTake("T1", critical: true, jobId: 2));

        Assert.Equal(start.AddSeconds(4), budget.TryTake("T1", critical: false, jobId: 3));
    }

    [Fact]
    public void Blocked_NoCheckBeforeRetryAfter_CriticalIsToldHowLong()
    {
        var budget = Budget(perMinute: 60);
        var start = Now;
        Assert.Null(budget.BlockedFor("T1"));

        budget.Block("T1", TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(5), budget.BlockedFor("T1"));
        Assert.Equal(start.AddSeconds(5), budget.TryTake("T1", critical: false, jobId: 1));
        Assert.Equal(start.AddSeconds(6), budget.TryTake("T1", critical: false, jobId: 2));
        Assert.Null(budget.TryTake("T1", critical: true, jobId: 3)); // a critical decides itself (it sees BlockedFor)
        Assert.Null(budget.BlockedFor("T2"));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(budget.BlockedFor("T1"));
        Assert.Null(budget.TryTake("T1", critical: false, jobId: 1));
    }
}
