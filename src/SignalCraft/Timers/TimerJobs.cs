using SignalCraft.Jobs;

namespace SignalCraft.Timers;

/// <summary>One escalation step of a rule for one open cycle of a group; <see cref="Repeat"/> counts repetitions of the last step.</summary>
public sealed record EscalateGroup(long GroupId, int OpenCycle, long RuleId, int Step, int Repeat) : IJobArgs
{
    public static string Kind => "escalate_group";

    public static string PrefixFor(long groupId) => $"escalate:{groupId}:";

    public string UniqueKey => $"{PrefixFor(GroupId)}{OpenCycle}:{RuleId}:{Step}:{Repeat}";
}

/// <summary>A snooze ends: the group is open again, and notifies again when events arrived meanwhile.</summary>
public sealed record EndSnooze(long GroupId) : IJobArgs
{
    public static string Kind => "end_snooze";

    public static string UniqueKeyFor(long groupId) => $"snooze:{groupId}";
}

/// <summary>
/// Resolves a quiet group: auto-close for sources without a resolve signal, "stale" for stateful sources silent for
/// three expected intervals. Runs at the earliest possible time and re-arms itself while the group is not quiet yet.
/// </summary>
public sealed record CloseQuietGroup(long GroupId, int OpenCycle) : IJobArgs
{
    public static string Kind => "close_quiet_group";

    public static string UniqueKeyFor(long groupId) => $"quiet:{groupId}";
}

/// <summary>Hourly retention: prunes old completed jobs, quarantined bodies, raw payloads and events.</summary>
public sealed record RunRetention(DateTime Hour) : IJobArgs
{
    public static string Kind => "run_retention";

    public string UniqueKey => $"retention:{Hour:yyyyMMddHH}";
}
