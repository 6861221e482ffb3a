using Microsoft.EntityFrameworkCore;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Jobs;

namespace SignalCraft.Notify;

/// <summary>
/// Enqueues notification jobs inside the caller's transaction (the grouping or action that caused them), so a
/// change and its notification commit or roll back together.
/// </summary>
public sealed class NotificationScheduler(JobClient jobs)
{
    public async Task ScheduleSendAsync(AlertGroup group, long targetId, long? ruleId, string reason, string? mention, DateTime runAt, CancellationToken ct)
    {
        var args = new SendNotification(group.Id, targetId, group.OpenCycle, ruleId, reason, mention);
        await jobs.EnqueueAsync(args, new EnqueueOptions
        {
            Priority = group.Severity == Severity.Critical ? JobPriority.Critical : JobPriority.High,
            RunAt = runAt,
            UniqueKey = args.UniqueKey,
            WorkspaceId = group.WorkspaceId,
        }, ct);
    }

    /// <summary>
    /// One coalescing update per group, due no sooner than the last update plus the interval. A change while an update
    /// job runs is picked up by that job (it re-checks the group before finishing).
    /// </summary>
    public async Task ScheduleUpdateAsync(SignalCraftDbContext db, AlertGroup group, TimeSpan interval, DateTime now, CancellationToken ct)
    {
        var key = UpdateGroupMessage.UniqueKeyFor(group.Id);
        if (await jobs.HasUnfinishedAsync(key, ct))
        {
            // The usual case in a storm: an update is already due and will show this change. Checking it first saves
            // the read of the last update time on most webhooks.
            return;
        }
        var lastUpdate = await db.Set<GroupNotification>().IgnoreQueryFilters()
            .Where(n => n.GroupId == group.Id && n.FirstSentAt != null)
            .MaxAsync(n => (DateTime?)(n.LastUpdatedAt ?? n.FirstSentAt), ct);
        if (lastUpdate is null)
        {
            return; // nothing posted yet: the first post will show the current state
        }
        var due = lastUpdate.Value + interval;
        await jobs.EnqueueAsync(new UpdateGroupMessage(group.Id), new EnqueueOptions
        {
            Priority = JobPriority.Normal,
            RunAt = due > now ? due : now,
            UniqueKey = key,
            WorkspaceId = group.WorkspaceId,
            MaxAttempts = 1000,
        }, ct);
    }
}
