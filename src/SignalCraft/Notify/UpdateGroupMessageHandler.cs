using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Jobs;

namespace SignalCraft.Notify;

/// <summary>
/// Brings every posted message of a group up to date (count, last seen, ack, snooze, resolve). Coalesced: one pending
/// per group. If the group changed while this ran, it runs once more after the update interval.
/// </summary>
public sealed class UpdateGroupMessageHandler(SignalCraftDbContext db, IEnumerable<ITargetNotifier> notifiers, NotificationTargetHealth health,
    IUpdateIntervalProvider intervals) : IJobHandler<UpdateGroupMessage>
{
    public async Task<JobResult> HandleAsync(JobContext<UpdateGroupMessage> context, CancellationToken ct)
    {
        var now = context.Now;
        var group = await db.Set<AlertGroup>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(g => g.Id == context.Args.GroupId, ct);
        if (group is null)
        {
            return JobResult.Cancel("the group no longer exists");
        }
        var seen = group.UpdatedAt;
        var posted = await db.Set<GroupNotification>().IgnoreQueryFilters()
            .Where(n => n.GroupId == group.Id && n.FirstSentAt != null).ToListAsync(ct);
        JobResult outcome = JobResult.Success;
        DateTime? wait = null;
        foreach (var message in posted)
        {
            var target = await db.Set<NotificationTarget>().IgnoreQueryFilters().FirstAsync(t => t.Id == message.TargetId, ct);
            var notifier = notifiers.FirstOrDefault(n => n.Kind == target.Kind);
            if (notifier is null || (message.LastUpdatedAt is { } last && last >= seen))
            {
                continue;
            }
            var request = new NotifyRequest(group, target, message, "updated", null, message.Mention, context.Attempt, now, message.RuleId, context.JobId);
            if (await notifier.WaitForBudgetAsync(request, isUpdate: true, ct) is { } waitUntil)
            {
                wait = wait is { } earlier && earlier < waitUntil ? earlier : waitUntil;
                continue;
            }
            var log = await DeliveryLog.StartAsync(db, group.WorkspaceId, group.Id, target.Id, context.JobId, "updated", context.Attempt, now, false, ct);
            var result = await notifier.UpdateAsync(request, ct);
            await DeliveryLog.FinishAsync(db, log, result, now, ct);
            await health.RecordAsync(target, result, now, ct);
            if (result.Success)
            {
                message.LastUpdatedAt = now;
                await db.SaveChangesAsync(ct);
            }
            else if (outcome == JobResult.Success)
            {
                outcome = SendNotificationHandler.RetryOrDiscard(result, context.Attempt, now);
            }
        }
        if (outcome == JobResult.Success && wait is { } budgetFreeAt)
        {
            return JobResult.Snooze(budgetFreeAt); // the messages not updated yet wait for the team's update budget
        }
        if (outcome == JobResult.Success
            && await db.Set<AlertGroup>().IgnoreQueryFilters().AnyAsync(g => g.Id == group.Id && g.UpdatedAt > seen, ct))
        {
            var interval = await intervals.GetAsync(group.WorkspaceId, ct);
            return JobResult.RetryAt(now + interval, "changed while updating; one more update");
        }
        return outcome;
    }
}

/// <summary>The workspace's least time between two updates of one message (workspace settings).</summary>
public interface IUpdateIntervalProvider
{
    Task<TimeSpan> GetAsync(long workspaceId, CancellationToken ct);
}
