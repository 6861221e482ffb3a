using SignalCraft.Jobs;

namespace SignalCraft.Tests.Jobs;

public sealed class JobRetryPolicyTests
{
    private static readonly TimeSpan Cap = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 16)]
    [InlineData(3, 81)]
    [InlineData(5, 625)]
    public void Backoff_Attempt_IsAttemptToTheFourthSecondsWithinTenPercent(int attempt, double seconds)
    {
        var random = new Random(attempt);
        for (var i = 0; i < 200; i++)
        {
            var delay = JobRetryPolicy.Backoff(attempt, Cap, random).TotalSeconds;
            Assert.InRange(delay, seconds * 0.9, seconds * 1.1);
        }
    }

    [Fact]
    public void Backoff_ManyDraws_SpreadOnBothSidesOfTheBase()
    {
        var random = new Random(7);
        var draws = Enumerable.Range(0, 500).Select(_ => JobRetryPolicy.Backoff(3, Cap, random).TotalSeconds).ToList();

        // Jobs that failed together must not retry together: the jitter really spreads them.
        Assert.Contains(draws, d => d < 81 * 0.97);
        Assert.Contains(draws, d => d > 81 * 1.03);
        Assert.True(draws.Distinct().Count() > 400);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(20)]
    [InlineData(1000)]
    public void Backoff_LateAttempt_NeverExceedsTheCap(int attempt)
    {
        var random = new Random(attempt);
        for (var i = 0; i < 100; i++)
        {
            var delay = JobRetryPolicy.Backoff(attempt, Cap, random);
            Assert.True(delay <= Cap, $"{delay} > {Cap}");
            Assert.True(delay >= Cap * 0.9, $"{delay} is far below the cap");
        }
    }

    [Fact]
    public void NextRunAt_Now_AddsTheBackoffToNow()
    {
        var now = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

        var at = JobRetryPolicy.NextRunAt(2, now, Cap, new Random(1));

        Assert.InRange(at, now.AddSeconds(16 * 0.9), now.AddSeconds(16 * 1.1));
    }
}
