using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;

namespace SignalCraft.Inbox;

/// <summary>
/// Reads for the inbox and the incident page. Runs under the request's workspace filter (the DbContext's
/// <c>CurrentWorkspaceId</c>), so another workspace's groups are simply not found.
/// </summary>
public sealed class InboxQueries(SignalCraftDbContext db, TimeProvider time)
{
    /// <summary>How far back a page re-includes groups that moved: covers webhooks committed while the page was read.</summary>
    private static readonly TimeSpan MoveMargin = TimeSpan.FromSeconds(5);

    public async Task<AlertGroupPage> ListAsync(InboxFilter filter, IReadOnlyDictionary<string, string> environmentAliases, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var query = Filtered(filter, environmentAliases);
        var cursor = filter.Cursor is null ? null : InboxCursor.TryParse(filter.Cursor);
        var items = new List<AlertGroup>();

        if (cursor is not null)
        {
            // Groups that moved above the cursor since the previous page: shown again rather than skipped.
            items.AddRange(await query.Where(g => g.LastSeenAt >= cursor.ReadAt)
                .OrderByDescending(g => g.LastSeenAt).ThenByDescending(g => g.Id).Take(InboxFilter.MaxLimit).ToListAsync(ct));
            // The plain upper bound (last_seen_at <= cursor) lets the index range start at the cursor instead of
            // walking every newer row: deep pages cost what the first page costs.
            query = query.Where(g => g.LastSeenAt < cursor.ReadAt && g.LastSeenAt <= cursor.LastSeenAt
                && (g.LastSeenAt < cursor.LastSeenAt || (g.LastSeenAt == cursor.LastSeenAt && g.Id < cursor.Id)));
        }
        var slice = await query.OrderByDescending(g => g.LastSeenAt).ThenByDescending(g => g.Id).Take(filter.Limit).ToListAsync(ct);
        items.AddRange(slice);

        var next = slice.Count == filter.Limit
            ? new InboxCursor(now - MoveMargin, slice[^1].LastSeenAt, slice[^1].Id).Encode()
            : null;
        return new AlertGroupPage(items.Select(ToItem).ToList(), next);
    }

    /// <summary>
    /// A mark that changes whenever a group of the workspace is added, changed or deleted: the newest
    /// <c>UpdatedAt</c> and the number of groups, both from the <c>(workspace_id, updated_at)</c> index. Live pages poll
    /// it (cheap, and read from the database, so a change made through any instance shows on every instance).
    /// </summary>
    public async Task<string> ChangeMarkAsync(CancellationToken ct)
    {
        var groups = db.Set<AlertGroup>().AsNoTracking();
        var newest = await groups.MaxAsync(g => (DateTime?)g.UpdatedAt, ct);
        var count = await groups.CountAsync(ct);
        return FormattableString.Invariant($"{newest?.Ticks ?? 0}.{count}");
    }

    /// <summary>The environments and projects seen in the workspace (for filter suggestions), at most 50 of each.</summary>
    public async Task<(IReadOnlyList<string> Environments, IReadOnlyList<string> Projects)> FacetsAsync(CancellationToken ct)
    {
        var groups = db.Set<AlertGroup>().AsNoTracking();
        var environments = await groups.Where(g => g.EnvironmentKey != "").Select(g => g.EnvironmentKey).Distinct()
            .OrderBy(e => e).Take(50).ToListAsync(ct);
        var projects = await groups.Where(g => g.Project != null).Select(g => g.Project!).Distinct()
            .OrderBy(p => p).Take(50).ToListAsync(ct);
        return (environments, projects);
    }

    public async Task<AlertGroupDetail?> DetailAsync(long id, CancellationToken ct)
    {
        var group = await db.Set<AlertGroup>().AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, ct);
        if (group is null)
        {
            return null;
        }
        var entries = await db.Set<TimelineEntry>().AsNoTracking().Where(t => t.GroupId == id)
            .OrderByDescending(t => t.At).ThenByDescending(t => t.Id).Take(500).ToListAsync(ct);
        var events = await db.Set<AlertEvent>().AsNoTracking().Where(e => e.GroupId == id)
            .OrderByDescending(e => e.ReceivedAt).ThenByDescending(e => e.Id).Take(50).ToListAsync(ct);
        var tags = await db.Set<GroupTag>().AsNoTracking().Where(t => t.GroupId == id)
            .OrderBy(t => t.Key).ThenBy(t => t.Value).Select(t => new TagDto(t.Key, t.Value)).ToListAsync(ct);

        var timeline = entries.Select(t => new TimelineItem(t.At, t.Kind, t.ActorName, t.Text))
            .Concat(events.Take(20).Select(e => new TimelineItem(e.ReceivedAt, "event", e.Actor ?? group.Source,
                $"{e.Action}: {e.Title}" + (e.Environment is null ? "" : $" ({e.Environment})"))))
            .OrderByDescending(t => t.At).ToList();

        return new AlertGroupDetail(ToItem(group), group.Description, group.RuleName, group.OpenCycle,
            group.ManualSeverity?.ToApi(), tags, timeline, events.Select(ToEventItem).ToList());
    }

    private IQueryable<AlertGroup> Filtered(InboxFilter f, IReadOnlyDictionary<string, string> aliases)
    {
        var query = db.Set<AlertGroup>().AsNoTracking();
        var envs = InboxFilter.Split(f.Env).Select(e => GroupingRules.EnvironmentKey(e, aliases)).ToList();
        if (envs.Count > 0)
        {
            query = query.Where(g => envs.Contains(g.EnvironmentKey));
        }
        var projects = InboxFilter.Split(f.Project).ToList();
        if (projects.Count > 0)
        {
            query = query.Where(g => g.Project != null && projects.Contains(g.Project));
        }
        var severities = InboxFilter.Split(f.Severity).Select(s => SeverityNames.TryParse(s, out var v) ? v : Severity.Info).ToList();
        if (severities.Count > 0)
        {
            query = query.Where(g => severities.Contains(g.Severity));
        }
        if (f.MinSeverity is not null && SeverityNames.TryParse(f.MinSeverity, out var min))
        {
            query = query.Where(g => g.Severity <= min);
        }
        var statuses = InboxFilter.Split(f.Status).ToList();
        if (statuses.Count > 0)
        {
            query = query.Where(g => statuses.Contains(g.Status));
        }
        var sources = InboxFilter.Split(f.Source).ToList();
        if (sources.Count > 0)
        {
            query = query.Where(g => sources.Contains(g.Source));
        }
        if (f.Tag is { } tag && tag.IndexOf(':') is var colon and > 0)
        {
            var (key, value) = (tag[..colon], tag[(colon + 1)..]);
            query = query.Where(g => db.Set<GroupTag>().Any(t => t.GroupId == g.Id && t.Key == key && t.Value == value));
        }
        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            var text = f.Q.Trim().ToLower();
            query = query.Where(g => g.Title.ToLower().Contains(text));
        }
        if (f.From is { } from)
        {
            var fromUtc = from.ToUniversalTime();
            query = query.Where(g => g.LastSeenAt >= fromUtc);
        }
        if (f.To is { } to)
        {
            var toUtc = to.ToUniversalTime();
            query = query.Where(g => g.LastSeenAt < toUtc);
        }
        return query;
    }

    internal static AlertGroupItem ToItem(AlertGroup g) => new(
        g.Id, g.Title, g.Source, g.Project, g.Environment, g.Severity.ToApi(), g.Status, g.Flapping, g.IgnoredInSource,
        g.Count, g.FirstSeenAt, g.LastSeenAt,
        g.AssigneeName is null && g.AssigneeUserId is null ? null : new AssigneeDto(g.AssigneeUserId, g.AssigneeName ?? g.AssigneeUserId!),
        g.Link, g.Resolution, g.SnoozedUntil, g.AcknowledgedAt, g.AcknowledgedBy, g.UpdatedAt);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static AlertEventItem ToEventItem(AlertEvent e) => new(
        e.Id, e.Action, e.SourceEventId, e.Title, e.Environment, e.Severity?.ToApi(), e.OccurredAt, e.ReceivedAt, e.Link,
        JsonSerializer.Deserialize<List<TagDto>>(e.Tags, Web) ?? []);
}
