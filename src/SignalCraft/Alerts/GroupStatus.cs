namespace SignalCraft.Alerts;

/// <summary>Lifecycle of an alert group (incident). Stored and served as lower-case names.</summary>
public static class GroupStatus
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Snoozed = "snoozed";
    public const string Resolved = "resolved";

    public static readonly IReadOnlyList<string> All = [Open, Acknowledged, Snoozed, Resolved];
}

/// <summary>Why a group was resolved.</summary>
public static class Resolution
{
    public const string Source = "source";
    public const string Manual = "manual";
    public const string AutoClosed = "autoClosed";
    public const string Stale = "stale";
}
