using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Notify;

namespace SignalCraft.Routing;

/// <summary>
/// Routes a group when it opens, reopens or changes severity, inside the grouping transaction: ordered rules (first
/// match unless continue), else the workspace's default route, else recorded as unrouted. Each target gets one
/// <see cref="SendNotification"/> job, due now or after the rule's wait. Other changes enqueue the coalescing update.
/// </summary>
public sealed class RoutingObserver(NotificationScheduler scheduler, WorkspaceSettingsStore settingsStore, Timers.TimerScheduler timers)
    : IGroupChangeObserver
{
    public async Task OnGroupChangedAsync(SignalCraftDbContext db, GroupChange change, DateTime now, CancellationToken ct)
    {
        // Grouping has just tracked this group in the same context: reuse it instead of a query per webhook (the storm
        // profile showed these per-event reads); jobs and actions that arrive without it load it.
        var group = db.Set<AlertGroup>().Local.FirstOrDefault(g => g.Id == change.GroupId)
            ?? await db.Set<AlertGroup>().IgnoreQueryFilters().FirstAsync(g => g.Id == change.GroupId, ct);
        var settings = await settingsStore.GetAsync(group.WorkspaceId, ct);
        if (group.Source == Alerts.SyntheticSources.Canary)
        {
            // The canary goes to its own target only: no rules, no default route, no escalation, no message updates.
            if (change.Kind == GroupChangeKind.Opened && settings.CanaryDestinationId is { } canaryTarget)
            {
                await scheduler.ScheduleSendAsync(group, canaryTarget, null, NotificationReasons.Opened, "none", now, ct);
            }
            return;
        }
        switch (change.Kind)
        {
            case GroupChangeKind.Opened or GroupChangeKind.Reopened or GroupChangeKind.SeverityChanged:
                await RouteAsync(db, group, change.Kind, settings, now, ct);
                await scheduler.ScheduleUpdateAsync(db, group, settings.UpdateInterval, now, ct);
                break;
            case GroupChangeKind.None:
                break;
            default:
                await scheduler.ScheduleUpdateAsync(db, group, settings.UpdateInterval, now, ct);
                break;
        }
    }

    private async Task RouteAsync(SignalCraftDbContext db, AlertGroup group, GroupChangeKind kind, WorkspaceSettings settings, DateTime now, CancellationToken ct)
    {
        var facts = await RoutingFacts.ForAsync(db, group, ct);
        var rules = await RuleStore.ForEvaluationAsync(db, group.WorkspaceId, ct);
        var matched = RuleEvaluator.Match(rules.Select(r => r.Rule), facts, settings.EnvironmentAliases);
        var reason = kind switch
        {
            GroupChangeKind.Opened => NotificationReasons.Opened,
            GroupChangeKind.Reopened => NotificationReasons.Reopened,
            _ => NotificationReasons.Raised,
        };

        var sends = new List<(long TargetId, long? RuleId, string Mention, int WaitSeconds)>();
        foreach (var rule in matched)
        {
            sends.AddRange(rule.Actions.Targets.Where(t => t.TargetId is not null)
                .Select(t => (t.TargetId!.Value, rule.Id, rule.Actions.Mention, rule.Actions.WaitSeconds)));
        }
        if (matched.Count == 0)
        {
            group.Unrouted = true;
            sends.AddRange(settings.DefaultRoute.TargetIds.Select(id => (id, (long?)null, settings.DefaultRoute.Mention, 0)));
            if (kind == GroupChangeKind.Opened)
            {
                Timeline.Add(db, group, now, "routing", "SignalCraft", sends.Count == 0
                    ? "No routing rule matched and the default route has no target: recorded as unrouted, nothing sent"
                    : "No routing rule matched: sent by the default route");
            }
        }
        else
        {
            group.Unrouted = false;
        }
        if (kind is GroupChangeKind.Opened or GroupChangeKind.Reopened)
        {
            await timers.OnRoutedAsync(db, group, matched, settings, now, ct);
        }
        // A severity change only notifies when it raises the group to high or critical (an edit wakes nobody).
        if (kind == GroupChangeKind.SeverityChanged && !group.Severity.AtLeastHigh())
        {
            return;
        }
        foreach (var (targetId, ruleId, mention, wait) in sends.DistinctBy(s => s.TargetId))
        {
            await scheduler.ScheduleSendAsync(group, targetId, ruleId, reason, mention, now.AddSeconds(wait), ct);
        }
    }
}

internal static class SeverityExtensions
{
    public static bool AtLeastHigh(this Alerts.Severity severity) => severity <= Alerts.Severity.High;
}
