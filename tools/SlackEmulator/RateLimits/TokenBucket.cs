namespace SlackEmulator.RateLimits;

/// <summary>
/// A token bucket driven by the emulator clock: <see cref="Capacity"/> tokens, refilled continuously at
/// <see cref="PerSecond"/>. Not thread-safe by itself; <see cref="RateLimiter"/> locks each bucket.
/// </summary>
internal sealed class TokenBucket(double capacity, double perSecond, DateTimeOffset now)
{
    private double _tokens = capacity;
    private DateTimeOffset _last = now;

    public double Capacity { get; } = capacity;
    public double PerSecond { get; } = perSecond;

    /// <summary>Takes one token, or says how long until one is there (rounded up to whole seconds, min 1).</summary>
    public bool TryTake(DateTimeOffset now, out int retryAfterSeconds)
    {
        Refill(now);
        if (_tokens >= 1)
        {
            _tokens -= 1;
            retryAfterSeconds = 0;
            return true;
        }

        var wait = (1 - _tokens) / PerSecond;
        retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(wait - 1e-9));
        return false;
    }

    /// <summary>Gives back a token taken for a call that then failed validation (nothing was posted).</summary>
    public void Refund() => _tokens = Math.Min(Capacity, _tokens + 1);

    private void Refill(DateTimeOffset now)
    {
        // A clock set backwards refills nothing rather than draining the bucket.
        if (now > _last)
        {
            _tokens = Math.Min(Capacity, _tokens + (now - _last).TotalSeconds * PerSecond);
        }

        _last = now;
    }
}
