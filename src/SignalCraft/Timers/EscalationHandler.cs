using Microsoft.EntityFrameworkCore;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Jobs;
using SignalCraft.Notify;
using SignalCraft.Routing;

namespace SignalCraft.Timers;

/// <summary>
/// Fires one escalation step if nobody acknowledged the group, whether or not the first post was delivered (with no
/// message yet, the escalation post becomes the group's top-level message). The last step may repeat.
/// </summary>
public sealed class EscalationHandler(SignalCraftDbContext db, IEnumerable<ITargetNotifier> notifiers, NotificationTargetHealth health, JobClient jobs)
    : IJobHandler<EscalateGroup>
{
    public async Task<JobResult> HandleAsync(JobContext<EscalateGroup> context, CancellationToken ct)
    {
        var (args, now) = (context.Args, context.Now);
        var group = await db.Set<AlertGroup>().IgnoreQueryFilters().FirstOrDefaultAsync(g => g.Id == args.GroupId, ct);
        if (group is null || group.OpenCycle != args.OpenCycle || group.Status is GroupStatus.Resolved or GroupStatus.Acknowledged)
        {
            return JobResult.Cancel("acknowledged, resolved or reopened since");
        }
        if (group.Status == GroupStatus.Snoozed && group.SnoozedUntil is { } until && until > now)
        {
            return JobResult.RetryAt(until, "snoozed");
        }
        var row = await db.Set<RoutingRule>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.Id == args.RuleId, ct);
        var rule = row is null ? null : RuleStore.ToDto(row, null);
        if (rule is null || args.Step >= rule.Actions.Escalation.Count)
        {
            return JobResult.Cancel("the rule or its escalation step no longer exists");
        }
        var step = rule.Actions.Escalation[args.Step];
        var targetIds = step.Target?.TargetId is { } stepTarget ? [stepTarget] : rule.Actions.Targets.Select(t => t.TargetId).OfType<long>().ToList();
        var mention = step.Mention ?? rule.Actions.Mention;
        var already = await db.Set<NotificationLog>().IgnoreQueryFilters()
            .Where(l => l.JobId == context.JobId && l.Status == NotificationStatus.Sent).Select(l => l.TargetId).ToListAsync(ct);

        JobResult outcome = JobResult.Success;
        var reached = new List<string>();
        foreach (var targetId in targetIds.Except(already))
        {
            var target = await db.Set<NotificationTarget>().IgnoreQueryFilters().FirstOrDefaultAsync(t => t.Id == targetId, ct);
            var notifier = target is null ? null : notifiers.FirstOrDefault(n => n.Kind == target.Kind);
            if (target is null || notifier is null)
            {
                continue;
            }
            var existing = await db.Set<GroupNotification>().IgnoreQueryFilters()
                .FirstOrDefaultAsync(n => n.GroupId == group.Id && n.TargetId == target.Id && n.FirstSentAt != null, ct);
            var request = new NotifyRequest(group, target, existing, "escalation", rule.Name, mention, context.Attempt, now, rule.Id, context.JobId);
            if (await notifier.WaitForBudgetAsync(request, isUpdate: false, ct) is { } waitUntil)
            {
                // The escalation is not lost: this step runs again when the channel's budget frees up.
                outcome = outcome == JobResult.Success ? JobResult.Snooze(waitUntil) : outcome;
                continue;
            }
            var log = await DeliveryLog.StartAsync(db, group.WorkspaceId, group.Id, target.Id, context.JobId, "escalation", context.Attempt, now, false, ct);
            var result = await notifier.PostAsync(request, ct);
            await DeliveryLog.FinishAsync(db, log, result, now, ct);
            await health.RecordAsync(target, result, now, ct);
            if (result.Success)
            {
                reached.Add(SendNotificationHandler.Describe(target));
                if (existing is null)
                {
                    // The first post never made it: this escalation post is now the group's message on that target.
                    db.Add(new GroupNotification
                    {
                        WorkspaceId = group.WorkspaceId, GroupId = group.Id, TargetId = target.Id, RuleId = rule.Id, Mention = mention,
                        OpenCycle = group.OpenCycle, FirstSentAt = now, MessageRef = result.MessageRef,
                        MessageChannel = result.MessageRef is null ? null : target.Channel,
                    });
                    await db.SaveChangesAsync(ct);
                }
            }
            else if (outcome == JobResult.Success)
            {
                outcome = SendNotificationHandler.RetryOrDiscard(result, context.Attempt, now);
            }
        }
        if (outcome is JobResult.SnoozeResult && reached.Count == 0)
        {
            return outcome; // nothing sent yet: the step is recorded when it goes out
        }
        Timeline.Add(db, group, now, "escalated", "SignalCraft",
            $"Escalated (step {args.Step + 1}{(args.Repeat > 0 ? $", repeat {args.Repeat}" : "")}): not acknowledged after "
            + $"{(now - group.OpenedAt).TotalMinutes:0} min" + (reached.Count > 0 ? $"; notified {string.Join(", ", reached)}" : ""));
        group.UpdatedAt = now;
        if (args.Step == rule.Actions.Escalation.Count - 1 && step.RepeatEveryMinutes is { } every)
        {
            var next = args with { Repeat = args.Repeat + 1 };
            await jobs.EnqueueAsync(next, new EnqueueOptions
            {
                Priority = JobPriority.High, RunAt = now.AddMinutes(every), UniqueKey = next.UniqueKey, WorkspaceId = group.WorkspaceId,
            }, ct);
        }
        await db.SaveChangesAsync(ct);
        return outcome;
    }
}
