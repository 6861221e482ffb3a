using System.Collections.Concurrent;
using SlackEmulator.Clock;

namespace SlackEmulator.RateLimits;

/// <summary>
/// Holds one bucket per (team, channel) for posting and per (team, app, method) for tiered methods.
/// Buckets are created lazily and dropped whenever the settings change or the state is reset.
/// </summary>
internal sealed class RateLimiter(EmulatorClock clock)
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private RateLimitSettings _settings = new();

    public RateLimitSettings Settings => Volatile.Read(ref _settings);

    public void Configure(RateLimitSettings settings)
    {
        Volatile.Write(ref _settings, settings);
        _buckets.Clear();
    }

    public void Reset() => Configure(new RateLimitSettings());

    /// <summary>chat.postMessage: about one per second per channel, with a short burst.</summary>
    public bool TryTakePost(string teamId, string channelId, out int retryAfter)
    {
        var s = Settings;
        if (!s.Enabled)
        {
            retryAfter = 0;
            return true;
        }

        return Take($"post|{teamId}|{channelId}", s.PostBurst, s.PostsPerSecond, out retryAfter);
    }

    public void RefundPost(string teamId, string channelId)
    {
        if (_buckets.TryGetValue($"post|{teamId}|{channelId}", out var bucket))
        {
            lock (bucket)
            {
                bucket.Refund();
            }
        }
    }

    /// <summary>Tiered methods, counted per (team, app, method) as Slack does.</summary>
    public bool TryTakeTier(string method, RateTier tier, string teamId, string appId, out int retryAfter)
    {
        var s = Settings;

        // The low history limit is switched on explicitly, so it applies even with the others off.
        var lowHistory = method == "conversations.history" && s.LowHistoryLimit;
        var perMinute = lowHistory ? RateLimitSettings.LowHistoryPerMinute : s.PerMinute(tier);
        if ((!s.Enabled && !lowHistory) || perMinute <= 0)
        {
            retryAfter = 0;
            return true;
        }

        // The low history limit is part of the key so switching it does not reuse an old bucket.
        var key = $"{method}|{teamId}|{appId}|{perMinute}";
        return Take(key, perMinute, perMinute / 60.0, out retryAfter);
    }

    private bool Take(string key, double capacity, double perSecond, out int retryAfter)
    {
        var now = clock.GetUtcNow();
        var bucket = _buckets.GetOrAdd(key, _ => new TokenBucket(capacity, perSecond, now));
        lock (bucket)
        {
            return bucket.TryTake(now, out retryAfter);
        }
    }
}
