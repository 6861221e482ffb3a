using Microsoft.EntityFrameworkCore;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Jobs;
using SignalCraft.Notify.Fallback;

namespace SignalCraft.Notify;

/// <summary>
/// Delivers one <see cref="SendNotification"/>: re-reads the group (delivery is at least once), holds what must not
/// be sent now, records the attempt before sending and its outcome after, and keeps one top-level message per
/// (group, target).
/// </summary>
internal sealed class SendNotificationHandler(SignalCraftDbContext db, IEnumerable<ITargetNotifier> notifiers, NotificationTargetHealth health,
    FallbackScheduler fallback, ParkedNotifications waiting, Microsoft.Extensions.Options.IOptions<NotifyOptions> options)
    : IJobHandler<SendNotification>
{
    public async Task<JobResult> HandleAsync(JobContext<SendNotification> context, CancellationToken ct)
    {
        var (args, now) = (context.Args, context.Now);
        var group = await db.Set<AlertGroup>().IgnoreQueryFilters().FirstOrDefaultAsync(g => g.Id == args.GroupId, ct);
        var target = await db.Set<NotificationTarget>().IgnoreQueryFilters().FirstOrDefaultAsync(t => t.Id == args.TargetId, ct);
        if (group is null || target is null)
        {
            return JobResult.Cancel("the group or target no longer exists");
        }
        if (group.OpenCycle != args.OpenCycle)
        {
            return JobResult.Cancel("the group has started a new open cycle since");
        }
        if (HoldReason(group, now) is { } hold)
        {
            await DeliveryLog.HeldAsync(db, group.WorkspaceId, group.Id, target.Id, context.JobId, args.Reason, hold, now, ct);
            return JobResult.Success;
        }
        if (await ActiveMuteAsync(group, now, ct) is { } mute)
        {
            // The timeline entry is saved with the held log row, so whoever sees one sees both.
            if (!await db.Set<TimelineEntry>().IgnoreQueryFilters().AnyAsync(t => t.GroupId == group.Id && t.Kind == "muted" && t.At >= mute.StartsAt, ct))
            {
                Timeline.Add(db, group, now, "muted", mute.CreatedBy,
                    $"Muted by {mute.CreatedBy}{(mute.Comment is null ? "" : $" ({mute.Comment})")} until {mute.EndsAt:yyyy-MM-dd HH:mm} UTC; events still count");
            }
            await DeliveryLog.HeldAsync(db, group.WorkspaceId, group.Id, target.Id, context.JobId, args.Reason,
                $"muted until {mute.EndsAt:yyyy-MM-dd HH:mm} UTC", now, ct);
            return JobResult.RetryAt(mute.EndsAt, "muted");
        }
        var notifier = notifiers.FirstOrDefault(n => n.Kind == target.Kind);
        if (notifier is null)
        {
            return JobResult.Discard($"no notifier for {target.Kind} targets");
        }

        var existing = await db.Set<GroupNotification>().IgnoreQueryFilters()
            .FirstOrDefaultAsync(n => n.GroupId == group.Id && n.TargetId == target.Id, ct);
        if (existing?.FirstSentAt is not null && existing.OpenCycle == args.OpenCycle && args.Reason == NotificationReasons.Opened)
        {
            return JobResult.Success; // already posted (a rerun after the outcome was recorded)
        }
        // A rerun of this job whose post is on record as sent: the process died (or a later write failed) after the log
        // row committed and before the message was recorded on the group. Adopt that message; posting again would duplicate it.
        if (await db.Set<NotificationLog>().IgnoreQueryFilters().AsNoTracking()
                .Where(l => l.GroupId == group.Id && l.TargetId == target.Id && l.JobId == context.JobId && l.Status == NotificationStatus.Sent)
                .OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct) is { } recorded)
        {
            await RecordSentAsync(group, target, existing, args, recorded.MessageRef, now, ct);
            return JobResult.Success;
        }
        var request = new NotifyRequest(group, target, existing?.FirstSentAt is null ? null : existing, args.Reason,
            args.RuleId is { } ruleId ? await db.Set<Routing.RoutingRule>().IgnoreQueryFilters().Where(r => r.Id == ruleId).Select(r => r.Name).FirstOrDefaultAsync(ct) : null,
            args.Mention, context.Attempt, now, args.RuleId, context.JobId);
        if (await notifier.WaitForBudgetAsync(request, isUpdate: group.Flapping && request.Existing is not null, ct) is { } waitUntil)
        {
            return JobResult.Snooze(waitUntil);
        }

        var log = await DeliveryLog.StartAsync(db, group.WorkspaceId, group.Id, target.Id, context.JobId, args.Reason, context.Attempt, now, false, ct);
        request = request with { LogId = log.Id };
        // Flapping groups are updated in place; they never post again for a reopen.
        var result = group.Flapping && request.Existing is not null
            ? await notifier.UpdateAsync(request, ct)
            : await notifier.PostAsync(request, ct);
        await DeliveryLog.FinishAsync(db, log, result, now, ct);
        var recovered = result.Success && target.LastFailureAt is { } failedAt && !(target.LastSuccessAt >= failedAt);
        await health.RecordAsync(target, result, now, ct);

        if (result.Success)
        {
            await RecordSentAsync(group, target, existing, args, result.MessageRef, now, ct);
            if (recovered)
            {
                // The first success after failures: what backs off on this target (or its Slack connection) goes now, so
                // the backlog drains within moments of the recovery rather than at each job's next backoff (up to 5 min).
                await waiting.WakeAfterRecoveryAsync(target, ct);
            }
            return JobResult.Success;
        }
        await fallback.AfterFailureAsync(group, target, args, result, context.JobId, now, ct);
        if (result.Category == FailureCategory.Auth && target.Kind == "slack")
        {
            return Park(result, context, now);
        }
        return RetryOrDiscard(result, context.Attempt, now);
    }

    /// <summary>The message becomes the group's for this target (what later edits, clicks and reruns find).</summary>
    private async Task RecordSentAsync(AlertGroup group, NotificationTarget target, GroupNotification? existing, SendNotification args,
        string? messageRef, DateTime now, CancellationToken ct)
    {
        if (existing is null)
        {
            existing = new GroupNotification { WorkspaceId = group.WorkspaceId, GroupId = group.Id, TargetId = target.Id };
            db.Add(existing);
        }
        existing.RuleId = args.RuleId;
        existing.Mention = args.Mention;
        existing.OpenCycle = group.OpenCycle;
        existing.FirstSentAt ??= now;
        existing.MessageRef = messageRef ?? existing.MessageRef;
        existing.MessageChannel ??= messageRef is null ? null : target.Channel;
        Timeline.Add(db, group, now, "notification", "SignalCraft", $"Notified {Describe(target)} ({args.Reason})");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// A Slack auth failure is the connection's, not this notification's: it waits for the reconnect (which wakes it, see
    /// <see cref="ParkedNotifications"/>) instead of being discarded, so the backlog reaches Slack afterwards. The first
    /// park counts as an attempt and names the reason; later looks while still refused do not use up attempts.
    /// </summary>
    private JobResult Park(NotifierResult result, JobContext<SendNotification> context, DateTime now)
    {
        var again = now + options.Value.ParkedRecheck;
        return context.PreviousErrors.LastOrDefault()?.Error.StartsWith(ParkedPrefix, StringComparison.Ordinal) == true
            ? JobResult.Snooze(again)
            : JobResult.RetryAt(again, $"{ParkedPrefix}{result.Category}: {result.Reason}; waiting for Slack to be reconnected");
    }

    public const string ParkedPrefix = "parked: ";

    /// <summary>
    /// Retryable failures come back at Retry-After, else on the queue's backoff capped at five minutes (an alert waiting
    /// an hour is no alert); the rest are discarded with the reason, visible in Delivery Health.
    /// </summary>
    internal static JobResult RetryOrDiscard(NotifierResult result, int attempt, DateTime now) =>
        result.Retryable
            ? JobResult.RetryAt(result.RetryAfter is { } wait ? now + wait : JobRetryPolicy.NextRunAt(attempt, now, MaxBackoff, Random.Shared),
                $"{result.Category}: {result.Reason}")
            : JobResult.Discard($"{result.Category}: {result.Reason}");

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    internal static string? HoldReason(AlertGroup group, DateTime now) => group switch
    {
        { IgnoredInSource: true } => "ignored in the source",
        { Status: GroupStatus.Snoozed, SnoozedUntil: { } until } when until > now => $"snoozed until {until:yyyy-MM-dd HH:mm} UTC",
        { Status: GroupStatus.Resolved } => "resolved before delivery",
        _ => null,
    };

    private async Task<Routing.Mute?> ActiveMuteAsync(AlertGroup group, DateTime now, CancellationToken ct)
    {
        var mutes = await db.Set<Routing.Mute>().IgnoreQueryFilters()
            .Where(m => m.WorkspaceId == group.WorkspaceId && m.StartsAt <= now && m.EndsAt > now).ToListAsync(ct);
        if (mutes.Count == 0)
        {
            return null;
        }
        var facts = await Routing.RoutingFacts.ForAsync(db, group, ct);
        return mutes.FirstOrDefault(m => Routing.RuleEvaluator.Matches(Routing.MuteConditions.Parse(m), facts, Routing.RoutingFacts.NoAliases));
    }

    internal static string Describe(NotificationTarget target) => target.Kind == "slack" ? $"Slack {target.Channel}" : $"webhook {target.UrlMasked}";
}
