using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Jobs;

namespace SignalCraft.Notify;

/// <summary>
/// Wakes the notifications that wait on a Slack connection (parked by an auth failure, or backing off after a failure)
/// once it is reconnected or delivers again, so the backlog goes out now rather than at the next recheck or backoff.
/// Each send job re-reads its group, keeps one top-level message per (group, target) and waits again for a budget or a
/// mute that still holds, so waking never duplicates a post.
/// </summary>
internal sealed class ParkedNotifications(SignalCraftDbContext db, JobSignal signal, TimeProvider time)
{
    public async Task<int> WakeAsync(long workspaceId, long connectionId, CancellationToken ct)
    {
        var targets = await db.Set<NotificationTarget>().IgnoreQueryFilters()
            .Where(t => t.WorkspaceId == workspaceId && t.ConnectionId == connectionId).Select(t => t.Id).ToListAsync(ct);
        return await WakeTargetsAsync(workspaceId, targets, ct);
    }

    /// <summary>A target delivered after failures: a Slack outage is the connection's, so all its channels wake.</summary>
    public Task<int> WakeAfterRecoveryAsync(NotificationTarget target, CancellationToken ct) => target.ConnectionId is { } connectionId
        ? WakeAsync(target.WorkspaceId, connectionId, ct)
        : WakeTargetsAsync(target.WorkspaceId, [target.Id], ct);

    private async Task<int> WakeTargetsAsync(long workspaceId, List<long> targets, CancellationToken ct)
    {
        if (targets.Count == 0)
        {
            return 0;
        }
        // Only retryable rows: scheduled ones wait on purpose (a rule's wait), and running ones are already going.
        var waiting = await db.Set<Job>().AsNoTracking()
            .Where(j => j.WorkspaceId == workspaceId && j.Kind == SendNotification.Kind && j.State == JobState.Retryable)
            .Select(j => new { j.Id, j.Args }).ToListAsync(ct);
        var ids = waiting.Where(j => targets.Contains(TargetOf(j.Args))).Select(j => j.Id).ToList();
        if (ids.Count == 0)
        {
            return 0;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var woken = await db.Set<Job>().Where(j => ids.Contains(j.Id) && j.State == JobState.Retryable && j.ScheduledAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.ScheduledAt, now), ct);
        // An update is no insert, so the commit interceptor wakes nobody: wake this process's worker, and the other
        // instances on PostgreSQL (they would otherwise find the jobs at their next poll).
        signal.Committed.Set();
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_notify('{JobCommitInterceptor.Channel}', '')", ct);
        }
        return woken;
    }

    private static long TargetOf(string args)
    {
        using var doc = JsonDocument.Parse(args);
        return doc.RootElement.TryGetProperty("targetId", out var id) && id.TryGetInt64(out var value) ? value : 0;
    }
}
