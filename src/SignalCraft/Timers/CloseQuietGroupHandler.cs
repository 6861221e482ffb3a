using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Jobs;
using SignalCraft.Routing;

namespace SignalCraft.Timers;

/// <summary>
/// Resolves a group that went quiet: <c>autoClosed</c> for sources that send no resolve, <c>stale</c> for stateful
/// sources silent for three expected intervals. While events keep coming it re-arms for the new deadline.
/// </summary>
public sealed class CloseQuietGroupHandler(SignalCraftDbContext db, WorkspaceSettingsStore settingsStore, IEnumerable<IGroupChangeObserver> observers)
    : IJobHandler<CloseQuietGroup>
{
    public async Task<JobResult> HandleAsync(JobContext<CloseQuietGroup> context, CancellationToken ct)
    {
        var now = context.Now;
        var group = await db.Set<AlertGroup>().IgnoreQueryFilters().FirstOrDefaultAsync(g => g.Id == context.Args.GroupId, ct);
        if (group is null || group.Status == GroupStatus.Resolved || group.OpenCycle != context.Args.OpenCycle)
        {
            return JobResult.Cancel("resolved or reopened since");
        }
        var settings = await settingsStore.GetAsync(group.WorkspaceId, ct);
        var rules = (await RuleStore.ForEvaluationAsync(db, group.WorkspaceId, ct)).Select(r => r.Rule);
        var matched = RuleEvaluator.Match(rules, await RoutingFacts.ForAsync(db, group, ct), settings.EnvironmentAliases);
        if (await TimerScheduler.QuietDeadlineAsync(db, group, matched, settings, ct) is not { } quiet)
        {
            return JobResult.Cancel("auto-close is off for this group");
        }
        if (group.LastSeenAt + quiet > now)
        {
            return JobResult.RetryAt(group.LastSeenAt + quiet, "not quiet yet");
        }
        group.Status = GroupStatus.Resolved;
        group.Resolution = group.SourceResolves ? Resolution.Stale : Resolution.AutoClosed;
        group.ResolvedAt = now;
        group.SnoozedUntil = null;
        group.UpdatedAt = now;
        Timeline.Add(db, group, now, TimelineKinds.Resolved, "SignalCraft", group.SourceResolves
            ? $"Resolved as stale: the source sent no update for {quiet.TotalMinutes:0} minutes (three expected intervals)"
            : $"Auto-closed: no new event for {quiet.TotalMinutes:0} minutes");
        await db.SaveChangesAsync(ct);
        foreach (var observer in observers)
        {
            await observer.OnGroupChangedAsync(db, new GroupChange(group.Id, group.WorkspaceId, GroupChangeKind.Resolved, group.OpenCycle), now, ct);
        }
        await db.SaveChangesAsync(ct);
        return JobResult.Success;
    }
}
