using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Grouping.Sql;

namespace SignalCraft.Inbox;

/// <summary>Who did it, as shown on the timeline ("Dana", "Dana via Slack", "API token deploy-bot").</summary>
public sealed record Actor(string? UserId, string Name);

/// <summary>The outcome of an action on one group.</summary>
public abstract record ActionOutcome
{
    private ActionOutcome()
    {
    }

    /// <param name="Changed">False when the group was already in that state (nothing recorded twice).</param>
    public sealed record Done(AlertGroupItem Group, bool Changed = true) : ActionOutcome;

    public sealed record NotFound : ActionOutcome;

    /// <summary>The action does not apply in the group's state (resolved, or a newer open group exists).</summary>
    public sealed record Conflict(string Message, long? OtherGroupId = null) : ActionOutcome;
}

/// <summary>
/// Ack, unack, snooze, unsnooze, resolve, reopen, assign, notes and severity override: the same code for the API,
/// the web app and Slack buttons. Each is recorded on the timeline with who and when, and changes reach the
/// notification observers in the same transaction.
/// </summary>
public sealed class GroupActions(SignalCraftDbContext db, DatabaseInfo database, TimeProvider time, IEnumerable<IGroupChangeObserver> observers)
{
    public const int MaxSnoozeMinutes = 7 * 24 * 60;

    public Task<ActionOutcome> AckAsync(long id, Actor actor, CancellationToken ct) => ApplyAsync(id, actor, ct, (g, now) =>
    {
        if (g.Status == GroupStatus.Resolved)
        {
            return Step.Conflict($"Resolved {Ago(g.ResolvedAt)}; reopen it first.");
        }
        if (g.Status == GroupStatus.Acknowledged)
        {
            return Step.NoChange; // already acknowledged: nothing to record twice
        }
        g.Status = GroupStatus.Acknowledged;
        g.AcknowledgedAt = now;
        g.AcknowledgedBy = actor.Name;
        g.SnoozedUntil = null;
        return Step.Change(TimelineKinds.Acknowledged, $"Acknowledged by {actor.Name}", GroupChangeKind.Acknowledged);
    });

    public Task<ActionOutcome> UnackAsync(long id, Actor actor, CancellationToken ct) => ApplyAsync(id, actor, ct, (g, _) =>
    {
        if (g.Status != GroupStatus.Acknowledged)
        {
            return g.Status == GroupStatus.Resolved ? Step.Conflict("Resolved; reopen it first.") : Step.NoChange;
        }
        g.Status = GroupStatus.Open;
        g.AcknowledgedAt = null;
        g.AcknowledgedBy = null;
        return Step.Change(TimelineKinds.Unacknowledged, $"Acknowledgement removed by {actor.Name}", GroupChangeKind.Updated);
    });

    public Task<ActionOutcome> SnoozeAsync(long id, int minutes, Actor actor, CancellationToken ct) => ApplyAsync(id, actor, ct, (g, now) =>
    {
        if (g.Status == GroupStatus.Resolved)
        {
            return Step.Conflict("Resolved; reopen it first.");
        }
        g.Status = GroupStatus.Snoozed;
        g.SnoozedUntil = now.AddMinutes(minutes);
        return Step.Change(TimelineKinds.Snoozed, $"Snoozed for {Duration(minutes)} by {actor.Name}", GroupChangeKind.Snoozed);
    });

    public Task<ActionOutcome> UnsnoozeAsync(long id, Actor actor, CancellationToken ct) => ApplyAsync(id, actor, ct, (g, _) =>
    {
        if (g.Status != GroupStatus.Snoozed)
        {
            return Step.NoChange;
        }
        g.Status = g.AcknowledgedAt is null ? GroupStatus.Open : GroupStatus.Acknowledged;
        g.SnoozedUntil = null;
        return Step.Change(TimelineKinds.Unsnoozed, $"Snooze ended by {actor.Name}", GroupChangeKind.Updated);
    });

    public Task<ActionOutcome> ResolveAsync(long id, Actor actor, CancellationToken ct) => ApplyAsync(id, actor, ct, (g, now) =>
    {
        if (g.Status == GroupStatus.Resolved)
        {
            return Step.NoChange;
        }
        g.Status = GroupStatus.Resolved;
        g.Resolution = Resolution.Manual;
        g.ResolvedAt = now;
        g.SnoozedUntil = null;
        return Step.Change(TimelineKinds.Resolved, $"Resolved by {actor.Name}", GroupChangeKind.Resolved);
    });

    public async Task<ActionOutcome> ReopenAsync(long id, Actor actor, CancellationToken ct)
    {
        return await ApplyAsync(id, actor, ct, (g, now) =>
        {
            if (g.Status != GroupStatus.Resolved)
            {
                return Step.NoChange;
            }
            var newer = db.Set<AlertGroup>().Where(o => o.WorkspaceId == g.WorkspaceId && o.IntegrationId == g.IntegrationId
                    && o.Identity == g.Identity && o.EnvironmentKey == g.EnvironmentKey && o.Status != GroupStatus.Resolved)
                .Select(o => (long?)o.Id).FirstOrDefault();
            if (newer is { } other)
            {
                return Step.Conflict($"A newer open group exists for the same alert: #{other}. Act on that one instead.", other);
            }
            GroupingService.Reopen(db, g, null, actor.Name, counts: false, now, $"Reopened by {actor.Name}");
            return Step.Change(null, null, GroupChangeKind.Reopened);
        });
    }

    public Task<ActionOutcome> AssignAsync(long id, Actor? assignee, Actor actor, CancellationToken ct) => ApplyAsync(id, actor, ct, (g, _) =>
    {
        if (g.AssigneeUserId == assignee?.UserId && g.AssigneeName == assignee?.Name)
        {
            return Step.NoChange;
        }
        g.AssigneeUserId = assignee?.UserId;
        g.AssigneeName = assignee?.Name;
        return Step.Change(TimelineKinds.Assigned, assignee is null ? $"Unassigned by {actor.Name}" : $"Assigned to {assignee.Name} by {actor.Name}",
            GroupChangeKind.Updated);
    });

    public Task<ActionOutcome> AddNoteAsync(long id, string text, Actor actor, CancellationToken ct) => ApplyAsync(id, actor, ct, (_, _) =>
        Step.Change(TimelineKinds.Note, text.Trim(), GroupChangeKind.None));

    public Task<ActionOutcome> SetSeverityAsync(long id, Severity? severity, Actor actor, CancellationToken ct) => ApplyAsync(id, actor, ct, (g, _) =>
    {
        var before = g.Severity;
        g.ManualSeverity = severity;
        g.Severity = GroupingRules.Effective(g.SourceSeverity, severity);
        var text = severity is null
            ? $"Manual severity cleared by {actor.Name}; back to {g.Severity.ToApi()}"
            : $"Severity set to {severity.Value.ToApi()} by {actor.Name}";
        return Step.Change(TimelineKinds.Severity, text, g.Severity != before ? GroupChangeKind.SeverityChanged : GroupChangeKind.Updated);
    });

    /// <summary>What an action does to a group: nothing, a conflict, or a change to record.</summary>
    private abstract record Step
    {
        public static readonly Step NoChange = new Unchanged();

        public static Step Conflict(string message, long? other = null) => new Refused(message, other);

        public static Step Change(string? kind, string? text, GroupChangeKind change) => new Changed(kind, text, change);

        public sealed record Unchanged : Step;

        public sealed record Refused(string Message, long? OtherGroupId) : Step;

        public sealed record Changed(string? Kind, string? Text, GroupChangeKind ChangeKind) : Step;
    }

    private async Task<ActionOutcome> ApplyAsync(long id, Actor actor, CancellationToken ct, Func<AlertGroup, DateTime, Step> mutate)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var group = await GroupLockSql.ByIdAsync(db, database.IsPostgres, id, ct);
        if (group is null)
        {
            return new ActionOutcome.NotFound();
        }
        var step = mutate(group, now);
        switch (step)
        {
            case Step.Refused refused:
                return new ActionOutcome.Conflict(refused.Message, refused.OtherGroupId);
            case Step.Changed changed:
                group.UpdatedAt = now;
                if (changed.Kind is not null)
                {
                    Timeline.Add(db, group, now, changed.Kind, actor.Name, changed.Text!, actor.UserId);
                }
                await db.SaveChangesAsync(ct);
                if (changed.ChangeKind != GroupChangeKind.None)
                {
                    var change = new GroupChange(group.Id, group.WorkspaceId, changed.ChangeKind, group.OpenCycle);
                    foreach (var observer in observers)
                    {
                        await observer.OnGroupChangedAsync(db, change, now, ct);
                    }
                    await db.SaveChangesAsync(ct);
                }
                break;
        }
        await tx.CommitAsync(ct);
        return new ActionOutcome.Done(InboxQueries.ToItem(group), step is Step.Changed);
    }

    private static string Ago(DateTime? at) => at is null ? "earlier" : $"at {at:yyyy-MM-dd HH:mm} UTC";

    private static string Duration(int minutes) => minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes} min";
}
