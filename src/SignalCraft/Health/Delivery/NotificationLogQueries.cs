using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Notify;

namespace SignalCraft.Health.Delivery;

/// <summary>Filters of <c>GET /api/notifications</c>; all optional. <c>cursor</c> is the <c>nextCursor</c> of the previous page.</summary>
public sealed record NotificationLogFilter(long? GroupId = null, long? TargetId = null, string? Status = null, string? Kind = null,
    DateTime? From = null, DateTime? To = null, long? Cursor = null, int? Limit = null)
{
    public static readonly string[] Statuses = [NotificationStatus.Started, NotificationStatus.Sent, NotificationStatus.Failed, NotificationStatus.Held];

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Status is not null && !Statuses.Contains(Status))
        {
            errors["status"] = [$"Use one of {string.Join(", ", Statuses)}."];
        }
        if (Limit is < 1 or > 500)
        {
            errors["limit"] = ["Use 1 to 500."];
        }
        if (From is { } from && To is { } to && from > to)
        {
            errors["from"] = ["from must be before to."];
        }
        if (Cursor is < 1)
        {
            errors["cursor"] = ["Use the nextCursor of the previous page."];
        }
        return errors;
    }
}

/// <summary>One delivery attempt: when, to which target, for which group, and how it ended.</summary>
public sealed record NotificationLogItem(
    long Id, DateTime StartedAt, DateTime? FinishedAt, long TargetId, string Target, long GroupId, string? GroupTitle, string Kind, int Attempt,
    string Status, string? Category, string? Error, bool IsFallback, bool PossibleDuplicate, string? MessageRef, long? JobId);

public sealed record NotificationLogPage(IReadOnlyList<NotificationLogItem> Items, long? NextCursor);

/// <summary>The notification log of the request's workspace, newest first, with keyset paging by id.</summary>
public sealed class NotificationLogQueries(SignalCraftDbContext db)
{
    public const int DefaultLimit = 100;

    public async Task<NotificationLogPage> ListAsync(NotificationLogFilter filter, CancellationToken ct)
    {
        var query = db.Set<NotificationLog>().AsNoTracking();
        if (filter.GroupId is { } groupId)
        {
            query = query.Where(l => l.GroupId == groupId);
        }
        if (filter.TargetId is { } targetId)
        {
            query = query.Where(l => l.TargetId == targetId);
        }
        if (filter.Status is { } status)
        {
            query = query.Where(l => l.Status == status);
        }
        if (filter.Kind is { } kind)
        {
            query = query.Where(l => l.Kind == kind);
        }
        if (filter.From is { } from)
        {
            var f = DateTime.SpecifyKind(from.ToUniversalTime(), DateTimeKind.Utc);
            query = query.Where(l => l.StartedAt >= f);
        }
        if (filter.To is { } to)
        {
            var t = DateTime.SpecifyKind(to.ToUniversalTime(), DateTimeKind.Utc);
            query = query.Where(l => l.StartedAt <= t);
        }
        if (filter.Cursor is { } cursor)
        {
            query = query.Where(l => l.Id < cursor);
        }
        var limit = filter.Limit ?? DefaultLimit;
        var rows = await query.OrderByDescending(l => l.Id).Take(limit + 1).ToListAsync(ct);
        var page = rows.Take(limit).ToList();
        var targetIds = page.Select(l => l.TargetId).Distinct().ToList();
        var groupIds = page.Select(l => l.GroupId).Distinct().ToList();
        var targets = await db.Set<NotificationTarget>().AsNoTracking().Where(t => targetIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var titles = await db.Set<AlertGroup>().AsNoTracking().Where(g => groupIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Title, ct);
        var items = page.Select(l => new NotificationLogItem(l.Id, l.StartedAt, l.FinishedAt, l.TargetId,
            targets.TryGetValue(l.TargetId, out var target) ? SendNotificationHandler.Describe(target) : $"target {l.TargetId}",
            l.GroupId, titles.GetValueOrDefault(l.GroupId), l.Kind, l.Attempt, l.Status, l.Category, l.Error, l.IsFallback, l.PossibleDuplicate,
            l.MessageRef, l.JobId)).ToList();
        return new NotificationLogPage(items, rows.Count > limit ? page[^1].Id : null);
    }

    /// <summary>The workspace's notification targets by name, for the log page's target filter.</summary>
    public async Task<IReadOnlyList<(long Id, string Name)>> TargetsAsync(CancellationToken ct) =>
        (await db.Set<NotificationTarget>().AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct))
            .Select(t => (t.Id, SendNotificationHandler.Describe(t))).ToList();

    /// <summary>Whether the group / target named by a filter belongs to the request's workspace (else the answer is 404).</summary>
    public async Task<bool> FilterNamesOwnDataAsync(NotificationLogFilter filter, CancellationToken ct) =>
        (filter.GroupId is not { } g || await db.Set<AlertGroup>().AnyAsync(x => x.Id == g, ct))
        && (filter.TargetId is not { } t || await db.Set<NotificationTarget>().AnyAsync(x => x.Id == t, ct));
}
