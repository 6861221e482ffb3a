using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Jobs;

namespace SignalCraft.Notify.Fallback;

/// <summary>
/// Delivers one <see cref="SendFallback"/> to the workspace's fallback target, unless the primary has delivered since,
/// the group no longer needs anyone, or the fallback target already has it. The attempt is logged with
/// <c>isFallback</c> and the timeline says so. A successful fallback becomes the group's message on that target, so
/// later updates (ack, resolve) reach it and a rule that also names that target does not post a second time.
/// </summary>
public sealed class SendFallbackHandler(SignalCraftDbContext db, IEnumerable<ITargetNotifier> notifiers, NotificationTargetHealth health,
    WorkspaceSettingsStore settings) : IJobHandler<SendFallback>
{
    public async Task<JobResult> HandleAsync(JobContext<SendFallback> context, CancellationToken ct)
    {
        var (args, now) = (context.Args, context.Now);
        var group = await db.Set<AlertGroup>().IgnoreQueryFilters().FirstOrDefaultAsync(g => g.Id == args.GroupId, ct);
        if (group is null || group.OpenCycle != args.OpenCycle)
        {
            return JobResult.Cancel("the group no longer exists or has started a new open cycle");
        }
        if (SendNotificationHandler.HoldReason(group, now) is { } hold)
        {
            return JobResult.Cancel($"not needed: {hold}");
        }
        if (await PrimaryDeliveredAsync(group, args, ct))
        {
            return JobResult.Cancel("the primary target delivered in time");
        }
        var fallbackId = (await settings.GetAsync(group.WorkspaceId, ct)).FallbackTargetId;
        var target = fallbackId is { } id ? await db.Set<NotificationTarget>().IgnoreQueryFilters().FirstOrDefaultAsync(t => t.Id == id, ct) : null;
        if (target is null || target.WorkspaceId != group.WorkspaceId)
        {
            return JobResult.Cancel("the workspace has no fallback target");
        }
        var existing = await db.Set<GroupNotification>().IgnoreQueryFilters()
            .FirstOrDefaultAsync(n => n.GroupId == group.Id && n.TargetId == target.Id, ct);
        if (existing is { FirstSentAt: not null } && existing.OpenCycle == group.OpenCycle)
        {
            return JobResult.Success; // the fallback target already has this cycle (told before, or a rule names it)
        }
        var notifier = notifiers.FirstOrDefault(n => n.Kind == target.Kind);
        if (notifier is null)
        {
            return JobResult.Discard($"no notifier for {target.Kind} targets");
        }

        var request = new NotifyRequest(group, target, null, args.Reason, null, args.Mention, context.Attempt, now, null, context.JobId)
        {
            FallbackFor = args.Why,
        };
        if (await notifier.WaitForBudgetAsync(request, isUpdate: false, ct) is { } waitUntil)
        {
            return JobResult.Snooze(waitUntil);
        }
        var log = await DeliveryLog.StartAsync(db, group.WorkspaceId, group.Id, target.Id, context.JobId, args.Reason, context.Attempt, now, true, ct);
        var result = await notifier.PostAsync(request, ct);
        await DeliveryLog.FinishAsync(db, log, result, now, ct);
        await health.RecordAsync(target, result, now, ct);
        if (!result.Success)
        {
            return SendNotificationHandler.RetryOrDiscard(result, context.Attempt, now);
        }
        if (existing is null)
        {
            existing = new GroupNotification { WorkspaceId = group.WorkspaceId, GroupId = group.Id, TargetId = target.Id };
            db.Add(existing);
        }
        existing.Mention = args.Mention;
        existing.OpenCycle = group.OpenCycle;
        existing.FirstSentAt ??= now;
        existing.MessageRef = result.MessageRef ?? existing.MessageRef;
        existing.MessageChannel ??= result.MessageRef is null ? null : target.Channel;
        Timeline.Add(db, group, now, "fallback", "SignalCraft", $"Sent to the fallback, {SendNotificationHandler.Describe(target)}: {args.Why}");
        await db.SaveChangesAsync(ct);
        return JobResult.Success;
    }

    /// <summary>The primary's notification of this cycle and reason went out (a retry succeeded before the fallback was due).</summary>
    private Task<bool> PrimaryDeliveredAsync(AlertGroup group, SendFallback args, CancellationToken ct) =>
        db.Set<NotificationLog>().IgnoreQueryFilters().AnyAsync(l => l.GroupId == group.Id && l.TargetId == args.PrimaryTargetId
            && l.Kind == args.Reason && l.Status == NotificationStatus.Sent && !l.IsFallback && l.StartedAt >= group.OpenedAt, ct);
}
