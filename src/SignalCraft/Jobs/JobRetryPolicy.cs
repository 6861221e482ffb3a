namespace SignalCraft.Jobs;

/// <summary>
/// When a failed job runs again: attempt⁴ seconds (1 s, 16 s, 81 s, 256 s, …) with ±10% jitter so that jobs that
/// failed together do not retry together, capped at <c>Jobs:MaxBackoff</c>. Pure: the caller passes now and the
/// random source.
/// </summary>
public static class JobRetryPolicy
{
    public const double Jitter = 0.10;

    /// <summary>The delay before the next attempt after <paramref name="attempt"/> (1-based) failed.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan cap, Random random)
    {
        var baseSeconds = Math.Pow(Math.Max(attempt, 1), 4);
        var capped = Math.Min(baseSeconds, cap.TotalSeconds);
        var jittered = capped * (1 + ((random.NextDouble() * 2) - 1) * Jitter);
        return TimeSpan.FromSeconds(Math.Min(jittered, cap.TotalSeconds));
    }

    /// <summary>The time the next attempt is due.</summary>
    public static DateTime NextRunAt(int attempt, DateTime now, TimeSpan cap, Random random) =>
        now + Backoff(attempt, cap, random);
}
