using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Jobs;
using SignalCraft.Notify;

namespace SignalCraft.Timers;

/// <summary>
/// Ends a snooze: the group is open again. When events arrived during the snooze it notifies again ("re-notified":
/// an edit wakes nobody); otherwise the message is just brought up to date.
/// </summary>
public sealed class EndSnoozeHandler(SignalCraftDbContext db, NotificationScheduler scheduler, WorkspaceSettingsStore settings)
    : IJobHandler<EndSnooze>
{
    public async Task<JobResult> HandleAsync(JobContext<EndSnooze> context, CancellationToken ct)
    {
        var now = context.Now;
        var group = await db.Set<AlertGroup>().IgnoreQueryFilters().FirstOrDefaultAsync(g => g.Id == context.Args.GroupId, ct);
        if (group is null || group.Status != GroupStatus.Snoozed)
        {
            return JobResult.Cancel("no longer snoozed");
        }
        if (group.SnoozedUntil is { } until && until > now)
        {
            return JobResult.RetryAt(until, "snooze extended");
        }
        var snoozedAt = await db.Set<TimelineEntry>().IgnoreQueryFilters()
            .Where(t => t.GroupId == group.Id && t.Kind == TimelineKinds.Snoozed).MaxAsync(t => (DateTime?)t.At, ct) ?? group.OpenedAt;
        var newEvents = group.LastSeenAt > snoozedAt;
        group.Status = group.AcknowledgedAt is null ? GroupStatus.Open : GroupStatus.Acknowledged;
        group.SnoozedUntil = null;
        group.UpdatedAt = now;
        Timeline.Add(db, group, now, TimelineKinds.Unsnoozed, "SignalCraft",
            newEvents ? "Snooze ended with new events: notifying again" : "Snooze ended; nothing new meanwhile");
        if (newEvents)
        {
            var messages = await db.Set<GroupNotification>().IgnoreQueryFilters().Where(n => n.GroupId == group.Id).ToListAsync(ct);
            foreach (var message in messages)
            {
                await scheduler.ScheduleSendAsync(group, message.TargetId, message.RuleId, NotificationReasons.Renotified, message.Mention, now, ct);
            }
        }
        await scheduler.ScheduleUpdateAsync(db, group, (await settings.GetAsync(group.WorkspaceId, ct)).UpdateInterval, now, ct);
        await db.SaveChangesAsync(ct);
        return JobResult.Success;
    }
}
