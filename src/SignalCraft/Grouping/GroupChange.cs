namespace SignalCraft.Grouping;

/// <summary>What grouping did with one alert; routing and notifications react to it in the same transaction.</summary>
public enum GroupChangeKind
{
    /// <summary>Nothing to route (a duplicate, a note, an informational payload, or no group found).</summary>
    None,
    Opened,
    Reopened,

    /// <summary>An open group got another occurrence (or an update such as a flap or a source assignment).</summary>
    Grew,

    /// <summary>An occurrence raised (or lowered) the group's effective severity.</summary>
    SeverityChanged,
    Resolved,

    /// <summary>The source ignored the group: notifications are held until it is unresolved.</summary>
    Held,

    /// <summary>Someone acknowledged it: escalations stop.</summary>
    Acknowledged,

    /// <summary>Snoozed until a time: notifications and escalations wait.</summary>
    Snoozed,

    /// <summary>Any other change worth showing in the message (unack, unsnooze, assignee).</summary>
    Updated,
}

/// <summary>One group touched by an alert.</summary>
public sealed record GroupChange(long GroupId, long WorkspaceId, GroupChangeKind Kind, int OpenCycle);

/// <summary>
/// Called inside the grouping transaction for every change, so what it enqueues (first notifications, updates,
/// escalations) commits or rolls back with the change itself. Routing implements it.
/// </summary>
public interface IGroupChangeObserver
{
    Task OnGroupChangedAsync(Data.SignalCraftDbContext db, GroupChange change, DateTime now, CancellationToken ct);
}
