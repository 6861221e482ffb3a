using SignalCraft.Data;

namespace SignalCraft.Grouping;

/// <summary>Adds timeline entries to the current unit of work.</summary>
public static class Timeline
{
    public static TimelineEntry Add(SignalCraftDbContext db, AlertGroup group, DateTime at, string kind, string? actorName,
        string text, string? actorUserId = null)
    {
        var entry = new TimelineEntry
        {
            WorkspaceId = group.WorkspaceId,
            GroupId = group.Id,
            At = at,
            Kind = kind,
            ActorName = actorName,
            ActorUserId = actorUserId,
            Text = text.Length > 4000 ? text[..4000] : text,
        };
        db.Add(entry);
        return entry;
    }
}
