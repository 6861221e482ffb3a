namespace SignalCraft.Alerts;

/// <summary>What a payload means for grouping, independent of the source's format.</summary>
public enum AlertKind
{
    /// <summary>Something happened again (an event, a firing metric alert): opens or joins a group and counts.</summary>
    Occurrence,

    /// <summary>The source opened an issue (Sentry <c>issue.created</c>): opens or joins a group without counting.</summary>
    Opened,

    /// <summary>The source resolved it.</summary>
    Resolved,

    /// <summary>The source reopened it (Sentry <c>issue.unresolved</c>).</summary>
    Unresolved,

    /// <summary>The source ignored/archived it: notifications are held until it is unresolved.</summary>
    Ignored,

    /// <summary>Someone was assigned in the source.</summary>
    Assigned,

    /// <summary>A comment in the source, shown as a note on the group's timeline.</summary>
    Note,

    /// <summary>Bookkeeping that creates no alert (Sentry <c>installation</c>).</summary>
    Informational,
}

/// <summary>One alert in SignalCraft's single schema, whatever the source.</summary>
/// <param name="Source">Source type, e.g. <c>sentry</c>.</param>
/// <param name="Kind">What the payload means for grouping.</param>
/// <param name="Action">The source's own name for it, e.g. <c>event_alert.triggered</c>, <c>issue.resolved</c>.</param>
/// <param name="SourceEventId">Idempotency key within the integration.</param>
/// <param name="Identity">The source's grouping id (Sentry issue id, metric-alert incident id), or null.</param>
/// <param name="Environment">Absent when the payload carries none (never the string "null").</param>
/// <param name="Project">The source's project (Sentry project slug).</param>
/// <param name="Severity">Null for state changes, which never change severity.</param>
/// <param name="Title">One line a person reads first.</param>
/// <param name="Description">More detail (culprit, metric text), if any.</param>
/// <param name="Tags">Key/value pairs from the source.</param>
/// <param name="OccurredAt">When it happened by the source's account (UTC); windows use receive time instead.</param>
/// <param name="Link">Deep link into the source.</param>
/// <param name="RuleName">The source's alert rule that fired, if any.</param>
public sealed record NormalizedAlert(
    string Source,
    AlertKind Kind,
    string Action,
    string SourceEventId,
    string? Identity,
    string? Project,
    string? Environment,
    Severity? Severity,
    string Title,
    string? Description,
    IReadOnlyList<AlertTag> Tags,
    DateTime OccurredAt,
    string? Link,
    string? RuleName)
{
    /// <summary>Who acted in the source (a Sentry user or "Sentry").</summary>
    public string? Actor { get; init; }

    /// <summary>For <see cref="AlertKind.Assigned"/>: the assignee's name and email when the source sends them.</summary>
    public string? AssigneeName { get; init; }

    public string? AssigneeEmail { get; init; }

    /// <summary>For <see cref="AlertKind.Note"/>: the comment text.</summary>
    public string? NoteText { get; init; }

    /// <summary>True when the source sends its own resolve for this kind of alert (auto-close does not apply).</summary>
    public bool SourceResolves { get; init; }
}

/// <summary>A tag as a key/value pair; keys may repeat.</summary>
public sealed record AlertTag(string Key, string Value);
