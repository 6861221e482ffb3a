namespace SignalCraft.Inbox;

/// <summary>One inbox row (camelCase JSON; extend freely, rename nothing).</summary>
public sealed record AlertGroupItem(
    long Id, string Title, string Source, string? Project, string? Environment, string Severity, string Status,
    bool Flapping, bool IgnoredInSource, int Count, DateTime FirstSeenAt, DateTime LastSeenAt, AssigneeDto? Assignee,
    string? Link, string? Resolution, DateTime? SnoozedUntil, DateTime? AcknowledgedAt, string? AcknowledgedBy,
    DateTime UpdatedAt);

public sealed record AssigneeDto(string? UserId, string Name);

public sealed record AlertGroupPage(IReadOnlyList<AlertGroupItem> Items, string? NextCursor);

public sealed record TimelineItem(DateTime At, string Kind, string? Actor, string Text);

public sealed record AlertEventItem(
    long Id, string Action, string SourceEventId, string Title, string? Environment, string? Severity,
    DateTime OccurredAt, DateTime ReceivedAt, string? Link, IReadOnlyList<TagDto> Tags);

public sealed record TagDto(string Key, string Value);

/// <summary>The incident: the group, its timeline and recent events.</summary>
public sealed record AlertGroupDetail(
    AlertGroupItem Group, string? Description, string? RuleName, int OpenCycle, string? ManualSeverity,
    IReadOnlyList<TagDto> Tags, IReadOnlyList<TimelineItem> Timeline, IReadOnlyList<AlertEventItem> Events);
