using System.ComponentModel.DataAnnotations;

namespace SignalCraft.Sources;

/// <summary>Bound from <c>Sources</c>: limits of the webhook receivers.</summary>
public sealed class SourcesOptions
{
    public const string SectionName = "Sources";

    /// <summary>Bodies above this are refused with 413 (1 MiB).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Time allowed for the first database round trip (connection and key lookup) before answering 503: an unreachable
    /// database is reported within Sentry's one-second timeout instead of hanging; the margin covers cancelling the
    /// stuck command and writing the answer on a busy machine.
    /// </summary>
    public TimeSpan AcceptTimeout { get; set; } = TimeSpan.FromMilliseconds(700);

    /// <summary>
    /// Time allowed to store and group an accepted webhook once the database has answered. A slow commit (a cold
    /// start, a burst) is finished and stored rather than dropped: a late 2xx loses nothing, a 503 loses the alert.
    /// </summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Signed timestamps older (or newer) than this are refused.</summary>
    public TimeSpan MaxTimestampSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failed verifications allowed per client address per minute before answering 429.</summary>
    [Range(1, 100_000)]
    public int FailuresPerMinute { get; set; } = 30;
}
