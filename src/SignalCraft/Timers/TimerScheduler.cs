using SignalCraft.Accounts;
using SignalCraft.Grouping;
using SignalCraft.Integrations;
using SignalCraft.Jobs;
using SignalCraft.Routing;
using Microsoft.EntityFrameworkCore;

namespace SignalCraft.Timers;

/// <summary>Arms and disarms a group's timers inside the transaction of the change that causes it.</summary>
public sealed class TimerScheduler(JobClient jobs)
{
    /// <summary>When a group is routed (opened or reopened): its rules' escalation steps and its quiet-close timer.</summary>
    public async Task OnRoutedAsync(Data.SignalCraftDbContext db, AlertGroup group, IReadOnlyList<RuleDto> matched, WorkspaceSettings settings,
        DateTime now, CancellationToken ct)
    {
        foreach (var rule in matched.Where(r => r.Id is not null))
        {
            for (var step = 0; step < rule.Actions.Escalation.Count; step++)
            {
                var args = new EscalateGroup(group.Id, group.OpenCycle, rule.Id!.Value, step, 0);
                await jobs.EnqueueAsync(args, new EnqueueOptions
                {
                    Priority = JobPriority.High,
                    RunAt = group.OpenedAt.AddMinutes(rule.Actions.Escalation[step].AfterMinutes),
                    UniqueKey = args.UniqueKey,
                    WorkspaceId = group.WorkspaceId,
                }, ct);
            }
        }
        if (await QuietDeadlineAsync(db, group, matched, settings, ct) is { } quiet)
        {
            var close = new CloseQuietGroup(group.Id, group.OpenCycle);
            var existing = await jobs.FindByUniqueKeyAsync(CloseQuietGroup.UniqueKeyFor(group.Id), ct);
            if (existing is null)
            {
                await jobs.EnqueueAsync(close, new EnqueueOptions
                {
                    Priority = JobPriority.Low, RunAt = group.LastSeenAt + quiet, UniqueKey = CloseQuietGroup.UniqueKeyFor(group.Id),
                    WorkspaceId = group.WorkspaceId,
                }, ct);
            }
        }
    }

    /// <summary>Acknowledged or resolved: pending escalations stop (and a resolved group needs no quiet-close).</summary>
    public async Task OnStoppedAsync(AlertGroup group, bool resolved, CancellationToken ct)
    {
        await jobs.CancelByUniqueKeyPrefixAsync(EscalateGroup.PrefixFor(group.Id), ct);
        if (resolved)
        {
            await jobs.CancelByUniqueKeyAsync(CloseQuietGroup.UniqueKeyFor(group.Id), ct);
            await jobs.CancelByUniqueKeyAsync(EndSnooze.UniqueKeyFor(group.Id), ct);
        }
    }

    /// <summary>Snoozed: escalations move by the snooze length, and the snooze's end is a timer.</summary>
    public async Task OnSnoozedAsync(AlertGroup group, DateTime now, CancellationToken ct)
    {
        if (group.SnoozedUntil is not { } until)
        {
            return;
        }
        await jobs.ShiftByUniqueKeyPrefixAsync(EscalateGroup.PrefixFor(group.Id), until - now, ct);
        var key = EndSnooze.UniqueKeyFor(group.Id);
        if (await jobs.RescheduleByUniqueKeyAsync(key, until, ct) == 0)
        {
            await jobs.EnqueueAsync(new EndSnooze(group.Id), new EnqueueOptions
            {
                Priority = JobPriority.High, RunAt = until, UniqueKey = key, WorkspaceId = group.WorkspaceId,
            }, ct);
        }
    }

    public Task OnUnsnoozedAsync(AlertGroup group, CancellationToken ct) => jobs.CancelByUniqueKeyAsync(EndSnooze.UniqueKeyFor(group.Id), ct);

    /// <summary>
    /// How long a group may stay quiet: for sources without a resolve signal, the matched rule's auto-close or the
    /// workspace's; for stateful sources, three expected intervals of their integration (when one is declared).
    /// </summary>
    internal static async Task<TimeSpan?> QuietDeadlineAsync(Data.SignalCraftDbContext db, AlertGroup group, IReadOnlyList<RuleDto> matched,
        WorkspaceSettings settings, CancellationToken ct)
    {
        if (group.SourceResolves)
        {
            var interval = await db.Set<Integration>().IgnoreQueryFilters().Where(i => i.Id == group.IntegrationId)
                .Select(i => i.ExpectedIntervalMinutes).FirstOrDefaultAsync(ct);
            return interval is { } minutes ? TimeSpan.FromMinutes(3 * minutes) : null;
        }
        var ruleMinutes = matched.Select(r => r.Actions.AutoCloseMinutes).FirstOrDefault(m => m is not null);
        return ruleMinutes is { } m ? TimeSpan.FromMinutes(m) : settings.AutoCloseAfter;
    }
}
