namespace SignalCraft.Timers;

/// <summary>Bound from <c>Timers</c>: retention periods (groups and timelines are kept).</summary>
public sealed class TimersOptions
{
    public const string SectionName = "Timers";

    public TimeSpan RawPayloadRetention { get; set; } = TimeSpan.FromDays(30);
    public TimeSpan QuarantineRetention { get; set; } = TimeSpan.FromDays(30);
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(90);
    public TimeSpan CompletedJobRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Rows per batch: each batch is its own short transaction, so pruning never blocks ingestion for long.</summary>
    public int RetentionBatchSize { get; set; } = 1000;

    /// <summary>Arm the hourly retention run at start-up (tests of the queue itself turn it off to see only their jobs).</summary>
    public bool ArmRetentionOnStart { get; set; } = true;
}
