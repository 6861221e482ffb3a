namespace SignalCraft.Health;

/// <summary>Median and p90 of a duration, in seconds; null values when nothing was measured.</summary>
public sealed record DurationStats(int Count, double? MedianSeconds, double? P90Seconds);

/// <summary>One row of the noise funnel: events → groups → top-level posts → human actions.</summary>
public sealed record FunnelRow(string Source, string? Project, int Events, int Groups, int TopLevelPosts, int HumanActions,
    double? NoiseReduction);

public sealed record BreakdownRow(string Key, DurationStats Mtta, DurationStats Mttr, double? AckRate, int GroupsNotified);

/// <summary>A critical group that had no successful post to its primary or fallback within the delivery SLO.</summary>
public sealed record MissedCritical(long GroupId, string Title, string? Project, string? Environment, DateTime OpenedAt, string Why);

public sealed record NoisySuggestion(string Source, string? Project, string? Environment, int Events, int Groups, double ShareOfEvents,
    long TopGroupId, string TopGroupTitle, string Suggestion);

/// <summary>
/// The three outcomes SignalCraft sells, over a range, with DESIGN's glossary: noise reduction = 1 − top-level posts ÷
/// events; ack rate = groups acknowledged ÷ groups notified; MTTA = first successful post → first ack; MTTR = open →
/// resolve; missed critical = a critical group without a successful post within the delivery SLO.
/// </summary>
public sealed record OutcomeReport(
    string Range, DateTime From, DateTime To, int DeliverySloSeconds,
    int Events, int Groups, int TopLevelPosts, int HumanActions, double? NoiseReduction,
    int GroupsNotified, int GroupsAcknowledged, double? AckRate, DurationStats Mtta, DurationStats Mttr,
    int EscalationsFired, int MissedCriticalCount, IReadOnlyList<MissedCritical> MissedCritical,
    IReadOnlyList<FunnelRow> Funnel, IReadOnlyList<BreakdownRow> BySeverity, IReadOnlyList<BreakdownRow> ByProject,
    IReadOnlyList<NoisySuggestion> Suggestions);
