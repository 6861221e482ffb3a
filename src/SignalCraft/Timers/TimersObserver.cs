using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Grouping;

namespace SignalCraft.Timers;

/// <summary>Disarms and moves timers when people act: ack and resolve stop escalations, snooze moves them.</summary>
public sealed class TimersObserver(TimerScheduler timers) : IGroupChangeObserver
{
    public async Task OnGroupChangedAsync(SignalCraftDbContext db, GroupChange change, DateTime now, CancellationToken ct)
    {
        if (change.Kind is not (GroupChangeKind.Acknowledged or GroupChangeKind.Resolved or GroupChangeKind.Snoozed or GroupChangeKind.Updated))
        {
            return;
        }
        var group = await db.Set<AlertGroup>().IgnoreQueryFilters().FirstAsync(g => g.Id == change.GroupId, ct);
        switch (change.Kind)
        {
            case GroupChangeKind.Acknowledged:
                await timers.OnStoppedAsync(group, resolved: false, ct);
                break;
            case GroupChangeKind.Resolved:
                await timers.OnStoppedAsync(group, resolved: true, ct);
                break;
            case GroupChangeKind.Snoozed:
                await timers.OnSnoozedAsync(group, now, ct);
                break;
            case GroupChangeKind.Updated when group.Status != Alerts.GroupStatus.Snoozed:
                await timers.OnUnsnoozedAsync(group, ct);
                break;
        }
    }
}
