namespace SlackEmulator.RateLimits;

/// <summary>
/// The limits the emulator enforces (on by default, like Slack). Figures from the reference:
/// chat.postMessage about 1/s per channel with short bursts; Tier 2 = 20/min, Tier 3 = 50/min,
/// Tier 4 = 100/min per (team, app, method). The low conversations.history limit for
/// non-Marketplace apps is 1 request/min with at most 15 messages per page.
/// </summary>
internal sealed record RateLimitSettings
{
    public bool Enabled { get; init; } = true;
    public double PostsPerSecond { get; init; } = 1;

    /// <summary>Posts one channel may take at once before the 1/s pace applies (a "short burst").</summary>
    public int PostBurst { get; init; } = 2;

    public int Tier2PerMinute { get; init; } = 20;
    public int Tier3PerMinute { get; init; } = 50;
    public int Tier4PerMinute { get; init; } = 100;

    /// <summary>Slack's limit for commercially distributed non-Marketplace apps (May 2025).</summary>
    public bool LowHistoryLimit { get; init; }

    public const int LowHistoryPerMinute = 1;
    public const int LowHistoryMaxLimit = 15;

    public int PerMinute(RateTier tier) => tier switch
    {
        RateTier.Tier2 => Tier2PerMinute,
        RateTier.Tier3 => Tier3PerMinute,
        RateTier.Tier4 => Tier4PerMinute,
        _ => 0,
    };
}

/// <summary>Slack's rate-limit tiers; Special methods are limited elsewhere or not at all.</summary>
internal enum RateTier
{
    Special,
    Tier2,
    Tier3,
    Tier4,
}
