using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Inbox;
using SignalCraft.Integrations.Slack;
using SignalCraft.Jobs;
using SignalCraft.Notify;
using SignalCraft.Notify.Slack;
using SignalCraft.Secrets;

namespace SignalCraft.Actions;

/// <summary>
/// Applies a button click with the same <see cref="GroupActions"/> the API and web app use, as "… via Slack" on the
/// timeline, then edits the message to show who did what. A click that changes nothing (already acknowledged, resolved
/// meanwhile) gets an ephemeral answer saying why, visible only to the clicker.
/// </summary>
public sealed class SlackClickHandler(SignalCraftDbContext db, GroupActions actions, SlackPeople people,
    IEnumerable<ITargetNotifier> notifiers, NotificationTargetHealth health, SlackApiClient slack, SecretProtector secrets, TimeProvider time)
    : IJobHandler<SlackClick>
{
    public async Task<JobResult> HandleAsync(JobContext<SlackClick> context, CancellationToken ct)
    {
        var args = context.Args;
        var group = await db.Set<AlertGroup>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(g => g.Id == args.GroupId, ct);
        var connection = await db.Set<SlackConnection>().IgnoreQueryFilters()
            .FirstOrDefaultAsync(c => c.WorkspaceId == args.WorkspaceId && c.TeamId == args.TeamId, ct);
        if (group is null || connection is null)
        {
            return JobResult.Cancel("the group or the Slack connection no longer exists");
        }
        var actor = await people.ActorForClickAsync(connection, args.SlackUserId, args.SlackUserName, ct);
        var (outcome, note) = await ApplyAsync(args, group, actor, ct);
        if (note is not null)
        {
            await AnswerAsync(args, note, ct);
        }
        if (outcome is ActionOutcome.Done { Changed: true })
        {
            await UpdateMessageAsync(args, context.JobId, ct);
        }
        return JobResult.Success;
    }

    private async Task<(ActionOutcome? Outcome, string? Note)> ApplyAsync(SlackClick args, AlertGroup group, Actor actor, CancellationToken ct)
    {
        if (group.Status == GroupStatus.Resolved)
        {
            return (null, await ResolvedNoteAsync(group, ct));
        }
        ActionOutcome outcome;
        if (args.ActionId == SlackMessageBuilder.AckAction)
        {
            outcome = await actions.AckAsync(group.Id, actor, ct);
        }
        else if (args.ActionId == SlackMessageBuilder.ResolveAction)
        {
            outcome = await actions.ResolveAsync(group.Id, actor, ct);
        }
        else if (args.ActionId.StartsWith(SlackMessageBuilder.SnoozePrefix, StringComparison.Ordinal)
            && int.TryParse(args.ActionId[SlackMessageBuilder.SnoozePrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            && SlackMessageBuilder.SnoozeMinutes.Contains(minutes))
        {
            if (group.Status == GroupStatus.Snoozed && group.SnoozedUntil is { } until && until > time.GetUtcNow().UtcDateTime)
            {
                return (null, $"Already snoozed until {Time(until)}{await ByAsync(group, TimelineKinds.Snoozed, ct)}.");
            }
            outcome = await actions.SnoozeAsync(group.Id, minutes, actor, ct);
        }
        else
        {
            return (null, null);
        }
        var fresh = await db.Set<AlertGroup>().IgnoreQueryFilters().AsNoTracking().FirstAsync(g => g.Id == group.Id, ct);
        return outcome switch
        {
            ActionOutcome.Done { Changed: false } when fresh.Status == GroupStatus.Acknowledged =>
                (outcome, $"Already acknowledged by {fresh.AcknowledgedBy}{(fresh.AcknowledgedAt is { } at ? $" at {Time(at)}" : "")}."),
            ActionOutcome.Done { Changed: false } when fresh.Status == GroupStatus.Resolved => (outcome, await ResolvedNoteAsync(fresh, ct)),
            ActionOutcome.Conflict conflict => (outcome, fresh.Status == GroupStatus.Resolved ? await ResolvedNoteAsync(fresh, ct) : conflict.Message),
            _ => (outcome, null),
        };
    }

    private async Task<string> ResolvedNoteAsync(AlertGroup group, CancellationToken ct)
    {
        var by = group.Resolution switch
        {
            Resolution.Source => " by the source",
            Resolution.AutoClosed => " automatically (quiet)",
            Resolution.Stale => " as stale",
            _ => await ByAsync(group, TimelineKinds.Resolved, ct),
        };
        return $"Resolved{by}{(group.ResolvedAt is { } at ? $" at {Time(at)}" : "")}; nothing changed.";
    }

    private async Task<string> ByAsync(AlertGroup group, string kind, CancellationToken ct)
    {
        var name = await db.Set<TimelineEntry>().IgnoreQueryFilters().Where(t => t.GroupId == group.Id && t.Kind == kind)
            .OrderByDescending(t => t.At).ThenByDescending(t => t.Id).Select(t => t.ActorName).FirstOrDefaultAsync(ct);
        return name is null ? "" : $" by {name}";
    }

    /// <summary>Edits the clicked message at once (the coalesced update would wait for the update interval).</summary>
    private async Task UpdateMessageAsync(SlackClick args, long jobId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var group = await db.Set<AlertGroup>().IgnoreQueryFilters().AsNoTracking().FirstAsync(g => g.Id == args.GroupId, ct);
        var message = await db.Set<GroupNotification>().IgnoreQueryFilters().FirstOrDefaultAsync(n => n.GroupId == args.GroupId && n.TargetId == args.TargetId, ct);
        var target = await db.Set<NotificationTarget>().IgnoreQueryFilters().FirstOrDefaultAsync(t => t.Id == args.TargetId, ct);
        if (message is null || target is null || notifiers.FirstOrDefault(n => n.Kind == target.Kind) is not { } notifier)
        {
            return;
        }
        var log = await DeliveryLog.StartAsync(db, group.WorkspaceId, group.Id, target.Id, jobId, "updated", 1, now, false, ct);
        var result = await notifier.UpdateAsync(new NotifyRequest(group, target, message, "updated", null, message.Mention, 1, now, message.RuleId, jobId), ct);
        await DeliveryLog.FinishAsync(db, log, result, now, ct);
        await health.RecordAsync(target, result, now, ct);
        if (result.Success)
        {
            message.LastUpdatedAt = now;
            await db.SaveChangesAsync(ct);
        }
    }

    private async Task AnswerAsync(SlackClick args, string text, CancellationToken ct)
    {
        if (args.ResponseUrlProtected is null)
        {
            return;
        }
        var url = secrets.Unprotect(SlackActionsEndpoint.ResponseUrlPurpose, args.ResponseUrlProtected);
        // Both flags explicitly: their defaults are not documented, and the alert message must stay.
        await slack.RespondAsync(url, new { response_type = "ephemeral", replace_original = false, delete_original = false, text }, ct);
    }

    private static string Time(DateTime at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
