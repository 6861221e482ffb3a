using Microsoft.EntityFrameworkCore;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping.Sql;

namespace SignalCraft.Grouping;

/// <summary>The alert being grouped, with where it came from and when it was received.</summary>
public sealed record GroupingInput(long WorkspaceId, long IntegrationId, long EventId, NormalizedAlert Alert, DateTime Now);

/// <summary>
/// Puts an accepted alert into its group inside the caller's transaction: one open group per (identity,
/// environment), reopen within the dedup window, new group after it, flapping, spike bump, and the source's
/// state changes. Observers (routing) run in the same transaction.
/// </summary>
public sealed class GroupingService(DatabaseInfo database, IMemberDirectory members, IEnumerable<IGroupChangeObserver> observers)
{
    public async Task<IReadOnlyList<GroupChange>> ApplyAsync(SignalCraftDbContext db, GroupingInput input,
        GroupingSettings settings, CancellationToken ct)
    {
        var alert = input.Alert;
        List<GroupChange> changes = alert.Kind switch
        {
            _ when alert.Identity is null => [],
            AlertKind.Occurrence => [await OccurAsync(db, input, settings, counts: true, ct)],
            AlertKind.Opened => [await OccurAsync(db, input, settings, counts: false, ct)],
            AlertKind.Informational => [],
            _ => await GroupStateChanges.ApplyAsync(db, database.IsPostgres, members, input, ct),
        };
        var link = changes.Count > 0 ? LinkEvent(db, input, changes[0].GroupId) : null;
        await db.SaveChangesAsync(ct);
        if (link is not null)
        {
            db.Entry(link).State = EntityState.Detached;
        }
        else if (changes.Count > 0)
        {
            await EventInsertSql.SetGroupAsync(db, input.EventId, changes[0].GroupId, ct);
        }
        foreach (var change in changes.Where(c => c.Kind != GroupChangeKind.None))
        {
            foreach (var observer in observers)
            {
                await observer.OnGroupChangedAsync(db, change, input.Now, ct);
            }
        }
        await db.SaveChangesAsync(ct);
        return changes;
    }

    /// <summary>
    /// Sets the new event's group in the same <c>SaveChanges</c> batch as the group's own update, one round trip fewer
    /// per webhook than a separate UPDATE (the storm profile counts statements). The event was inserted by SQL and is
    /// not tracked, so a stand-in with only its key is attached and just <c>group_id</c> is written; it is detached
    /// right after so nothing later in this unit of work reads the stand-in as the event.
    /// </summary>
    private static AlertEvent? LinkEvent(SignalCraftDbContext db, GroupingInput input, long groupId)
    {
        if (db.Set<AlertEvent>().Local.FindEntry(input.EventId) is not null) // a key lookup: no DetectChanges on the hot path
        {
            return null;
        }
        var link = new AlertEvent
        {
            Id = input.EventId, WorkspaceId = input.WorkspaceId, IntegrationId = input.IntegrationId,
            Source = "", Kind = "", Action = "", SourceEventId = "", Title = "", Tags = "",
        };
        db.Attach(link);
        link.GroupId = groupId;
        db.Entry(link).Property(e => e.GroupId).IsModified = true;
        return link;
    }

    private async Task<GroupChange> OccurAsync(SignalCraftDbContext db, GroupingInput input, GroupingSettings settings,
        bool counts, CancellationToken ct)
    {
        var (alert, now, pg) = (input.Alert, input.Now, database.IsPostgres);
        var envKey = GroupingRules.EnvironmentKey(alert.Environment, settings.EnvironmentAliases);
        var open = (await GroupLockSql.OpenWithKeyAsync(db, pg, input.WorkspaceId, input.IntegrationId, alert.Identity!, envKey, ct))
            .FirstOrDefault();

        if (open is null && envKey.Length > 0)
        {
            // An issue opened by issue.created carries no environment; its first occurrence tells which one it is.
            open = (await GroupLockSql.OpenWithKeyAsync(db, pg, input.WorkspaceId, input.IntegrationId, alert.Identity!, "", ct))
                .FirstOrDefault(g => g.Count == 0);
            if (open is not null)
            {
                open.Environment = alert.Environment;
                open.EnvironmentKey = envKey;
                Timeline.Add(db, open, now, TimelineKinds.Environment, "Sentry", $"Environment is {envKey}");
            }
        }

        if (open is not null)
        {
            return Grow(db, open, alert, envKey, counts, now);
        }

        var resolved = await GroupLockSql.LatestResolvedAsync(db, pg, input.WorkspaceId, input.IntegrationId, alert.Identity!, envKey, ct);
        if (resolved is not null && resolved.ResolvedAt is { } resolvedAt
            && GroupingRules.ReopensResolvedGroup(resolvedAt, now, settings.DedupWindow))
        {
            return Reopen(db, resolved, alert, alert.Actor ?? "Sentry", counts, now, $"Reopened: a new occurrence within the {settings.DedupWindow.TotalMinutes:0}-minute dedup window");
        }

        var group = new AlertGroup
        {
            WorkspaceId = input.WorkspaceId,
            IntegrationId = input.IntegrationId,
            Source = alert.Source,
            Identity = alert.Identity!,
            Environment = alert.Environment,
            EnvironmentKey = envKey,
            Project = alert.Project,
            Title = alert.Title,
            Description = alert.Description,
            Link = alert.Link,
            RuleName = alert.RuleName,
            SourceSeverity = alert.Severity ?? Severity.High,
            Severity = alert.Severity ?? Severity.High,
            Status = GroupStatus.Open,
            SourceResolves = alert.SourceResolves,
            Count = counts ? 1 : 0,
            FirstSeenAt = now,
            LastSeenAt = now,
            OpenedAt = now,
            SpikeWindowStart = now,
            SpikeWindowCount = counts ? 1 : 0,
            UpdatedAt = now,
        };
        db.Add(group);
        await db.SaveChangesAsync(ct); // the id is needed for the timeline and the event; a racing insert fails here
        Timeline.Add(db, group, now, TimelineKinds.Opened, alert.Actor ?? "Sentry", $"Opened: {alert.Title}");
        AddTags(db, group, alert);
        return new GroupChange(group.Id, group.WorkspaceId, GroupChangeKind.Opened, group.OpenCycle);
    }

    private static GroupChange Grow(SignalCraftDbContext db, AlertGroup group, NormalizedAlert alert, string envKey, bool counts, DateTime now)
    {
        var before = group.Severity;
        group.UpdatedAt = now;
        if (group.Link is null && alert.Link is not null)
        {
            group.Link = alert.Link;
        }
        if (counts)
        {
            group.Count++;
            group.LastSeenAt = now;
            (group.SpikeWindowStart, group.SpikeWindowCount) =
                GroupingRules.AfterOccurrence(group.SpikeWindowStart, group.SpikeWindowCount, now);
        }
        if (alert.Severity is { } incoming)
        {
            // Stateful sources (metric alerts) say where they are now; event sources keep the worst of the cycle.
            group.SourceSeverity = group.SourceResolves ? incoming : (Severity)Math.Min((int)group.SourceSeverity, (int)incoming);
            if (group.SourceResolves)
            {
                group.Title = alert.Title;
            }
        }
        if (GroupingRules.ShouldBumpForSpike(envKey, group.SpikeWindowCount, group.SpikeBumped))
        {
            group.SpikeBumped = true;
            group.SourceSeverity = group.SourceSeverity.Raised();
            Timeline.Add(db, group, now, TimelineKinds.Severity, "SignalCraft",
                $"Severity raised to {group.SourceSeverity.ToApi()}: {group.SpikeWindowCount} events within "
                + $"{GroupingRules.SpikeWindow.TotalMinutes:0} minutes in production");
        }
        group.Severity = GroupingRules.Effective(group.SourceSeverity, group.ManualSeverity);
        if (group.Severity != before)
        {
            if (!group.SpikeBumped || alert.Severity is not null)
            {
                Timeline.Add(db, group, now, TimelineKinds.Severity, alert.Actor ?? "Sentry",
                    $"Severity changed from {before.ToApi()} to {group.Severity.ToApi()}");
            }
            return new GroupChange(group.Id, group.WorkspaceId, GroupChangeKind.SeverityChanged, group.OpenCycle);
        }
        return new GroupChange(group.Id, group.WorkspaceId, GroupChangeKind.Grew, group.OpenCycle);
    }

    /// <summary>Starts a new open cycle of a resolved group.</summary>
    internal static GroupChange Reopen(SignalCraftDbContext db, AlertGroup group, NormalizedAlert? alert, string actorName, bool counts, DateTime now, string why)
    {
        group.Status = GroupStatus.Open;
        group.Resolution = null;
        group.ResolvedAt = null;
        group.AcknowledgedAt = null;
        group.AcknowledgedBy = null;
        group.SnoozedUntil = null;
        group.OpenCycle++;
        group.OpenedAt = now;
        group.ReopenCount++;
        group.UpdatedAt = now;
        if (alert?.Severity is { } severity)
        {
            group.SourceSeverity = severity;
            group.Severity = GroupingRules.Effective(severity, group.ManualSeverity);
        }
        if (counts)
        {
            group.Count++;
            group.LastSeenAt = now;
            (group.SpikeWindowStart, group.SpikeWindowCount) = (now, 1);
        }
        var wasFlapping = group.Flapping;
        if (alert is not null)
        {
            AddTags(db, group, alert, except: db.Set<GroupTag>().IgnoreQueryFilters().Where(t => t.GroupId == group.Id)
            .Select(t => new { t.Key, t.Value }).AsEnumerable().Select(t => t.Key + "\u0000" + t.Value).ToHashSet());
        }
        (group.Flapping, group.RecentReopens) = GroupingRules.AfterReopen(group.RecentReopens, now);
        Timeline.Add(db, group, now, TimelineKinds.Reopened, actorName, why);
        if (group.Flapping && !wasFlapping)
        {
            Timeline.Add(db, group, now, TimelineKinds.Flapping, "SignalCraft",
                $"Flapping: reopened {GroupingRules.FlappingReopens} times within {GroupingRules.FlappingWindow.TotalMinutes:0} minutes; "
                + "updates continue in place without new posts");
        }
        return new GroupChange(group.Id, group.WorkspaceId, GroupChangeKind.Reopened, group.OpenCycle);
    }

    private static void AddTags(SignalCraftDbContext db, AlertGroup group, NormalizedAlert alert, HashSet<string>? except = null)
    {
        foreach (var tag in alert.Tags.DistinctBy(t => (t.Key, t.Value)).Take(50))
        {
            if (tag.Key.Length <= 200 && tag.Value.Length <= 200 && except?.Contains(tag.Key + "\u0000" + tag.Value) != true)
            {
                db.Add(new GroupTag { GroupId = group.Id, WorkspaceId = group.WorkspaceId, Key = tag.Key, Value = tag.Value });
            }
        }
    }
}
