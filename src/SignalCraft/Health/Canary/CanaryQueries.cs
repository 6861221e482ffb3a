using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Health.Delivery;
using SignalCraft.Notify;

namespace SignalCraft.Health.Canary;

/// <summary>The canary as Delivery Health shows it: is it on, where does it go, and how did the last one fare.</summary>
/// <param name="LastStatus"><c>pending</c>, <c>delivered</c>, <c>missed</c> or <c>skipped</c>; null before the first run.</param>
/// <param name="RoundTripMs">The last delivered canary's round trip, ingest to accepted delivery.</param>
public sealed record CanaryHealth(
    string State, string Reason, int? IntervalMinutes, string? Target, DateTime? LastRunAt, string? LastStatus, long? RoundTripMs,
    DateTime? LastDeliveredAt, string? Detail);

/// <summary>Reads the current workspace's canary for Delivery Health.</summary>
public sealed class CanaryQueries(SignalCraftDbContext db)
{
    /// <summary>Null when the canary is off and never ran.</summary>
    public async Task<CanaryHealth?> ForAsync(WorkspaceSettings settings, DateTime now, CancellationToken ct)
    {
        var runs = await db.Set<CanaryRun>().AsNoTracking().Where(r => r.WorkspaceId == settings.WorkspaceId)
            .OrderByDescending(r => r.EnqueuedAt).ThenByDescending(r => r.Id).Take(2).ToListAsync(ct);
        if (settings.CanaryIntervalMinutes is null && runs.Count == 0)
        {
            return null;
        }
        var destination = settings.CanaryDestinationId is { } id ? await db.Set<NotificationTarget>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) : null;
        var target = destination is null ? null : SendNotificationHandler.Describe(destination);
        var last = runs.FirstOrDefault();
        // A canary on its way is judged by the one before it.
        var judged = last is { Status: CanaryStatus.Pending } ? runs.ElementAtOrDefault(1) : last;
        var delivered = await db.Set<CanaryRun>().AsNoTracking()
            .Where(r => r.WorkspaceId == settings.WorkspaceId && r.Status == CanaryStatus.Delivered)
            .OrderByDescending(r => r.EnqueuedAt).FirstOrDefaultAsync(ct);
        var (state, reason) = settings.CanaryIntervalMinutes is null ? (HealthState.Green, "The canary is off.")
            : judged switch
            {
                null => (HealthState.Amber, last is null
                    ? $"The first canary to {target ?? "its target"} is due within {settings.CanaryIntervalMinutes} minutes."
                    : $"The first canary to {target} is on its way."),
                { Status: CanaryStatus.Delivered } d => (HealthState.Green,
                    $"The last canary reached {target} in {d.RoundTripMs} ms, {Ago(now - d.EnqueuedAt)} ago."),
                { Status: CanaryStatus.Missed } m => (HealthState.Red,
                    $"The last canary did not reach {target ?? "its target"} in time ({m.Detail}) — check the target and Slack connection."),
                { } s => (HealthState.Amber, $"The last canary could not run: {s.Detail}."),
            };
        return new CanaryHealth(state, reason, settings.CanaryIntervalMinutes, target, last?.EnqueuedAt, last?.Status,
            delivered?.RoundTripMs, delivered?.DeliveredAt, last?.Detail);
    }

    private static string Ago(TimeSpan span) => span.TotalMinutes < 1 ? $"{Math.Max(0, span.TotalSeconds):0} s" : $"{span.TotalMinutes:0} min";
}
