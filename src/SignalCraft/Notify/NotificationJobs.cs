using SignalCraft.Jobs;

namespace SignalCraft.Notify;

/// <summary>
/// Post a group's notification to one target: the first post of an open cycle, a re-notification (reopen, raise,
/// snooze expiry with new events) or an escalation step. Unique per (group, target, cycle, reason).
/// </summary>
public sealed record SendNotification(long GroupId, long TargetId, int OpenCycle, long? RuleId, string Reason, string? Mention) : IJobArgs
{
    public static string Kind => "send_notification";

    public string UniqueKey => $"notify:{GroupId}:{TargetId}:{OpenCycle}:{Reason}";
}

/// <summary>Bring every message of a group up to date (coalesced: one pending per group).</summary>
public sealed record UpdateGroupMessage(long GroupId) : IJobArgs
{
    public static string Kind => "update_group_message";

    public static string UniqueKeyFor(long groupId) => $"update:{groupId}";
}

/// <summary>Reasons a notification is sent (stored in job args and the log).</summary>
public static class NotificationReasons
{
    public const string Opened = "opened";
    public const string Reopened = "reopened";
    public const string Raised = "raised";
    public const string Renotified = "renotified";
}
