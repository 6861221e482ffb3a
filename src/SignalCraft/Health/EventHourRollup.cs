using Microsoft.EntityFrameworkCore;
using SignalCraft.Alerts;
using SignalCraft.Data;

namespace SignalCraft.Health;

/// <summary>Grouped events of one source and project over a range.</summary>
public sealed record EventCount(string Source, string? Project, int Events);

/// <summary>
/// Counts grouped events per source and project over a range: closed hours from <see cref="EventHourCount"/> rows
/// (written here the first time a reader needs them), the partial hours at both ends from <c>alert_events</c>. So a
/// 7-day overview reads 168 small rows per bucket plus at most two hours of events, however many events the week had.
/// Closed hours never change: ingest stamps an event with the time it was received and commits it within its budget,
/// far inside <see cref="SettleTime"/>. Runs under the request's workspace filter.
/// </summary>
public sealed class EventHourRollup(SignalCraftDbContext db, ILogger<EventHourRollup> logger)
{
    /// <summary>How long after its end an hour is rolled up.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromMinutes(2);

    /// <summary>The most hours one read rolls up (the longest range, 30 days, plus its edges).</summary>
    private const int MaxHours = 24 * 31;

    public static DateTime HourOf(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);

    public async Task<IReadOnlyList<EventCount>> EventsAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var (rolledFrom, rolledTo) = await RolledSpanAsync(from, to, ct);
        var counts = new List<EventCount>();
        if (rolledTo > rolledFrom)
        {
            var rolled = await db.Set<EventHourCount>().AsNoTracking()
                .Where(c => c.HourStart >= rolledFrom && c.HourStart < rolledTo && c.Source != EventHourCount.MarkerSource)
                .GroupBy(c => new { c.Source, c.Project })
                .Select(g => new { g.Key.Source, g.Key.Project, Events = g.Sum(c => c.Events) })
                .ToListAsync(ct);
            counts.AddRange(rolled.Select(r => new EventCount(r.Source, r.Project.Length == 0 ? null : r.Project, r.Events)));
            counts.AddRange(await LiveAsync(from, rolledFrom, inclusiveEnd: false, ct));
            counts.AddRange(await LiveAsync(rolledTo, to, inclusiveEnd: true, ct));
        }
        else
        {
            counts.AddRange(await LiveAsync(from, to, inclusiveEnd: true, ct));
        }
        return counts.GroupBy(c => (c.Source, c.Project)).Select(g => new EventCount(g.Key.Source, g.Key.Project, g.Sum(c => c.Events))).ToList();
    }

    /// <summary>Events per UTC hour over the range (hours without events left out).</summary>
    public async Task<IReadOnlyList<(DateTime HourStart, int Events)>> PerHourAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var (rolledFrom, rolledTo) = await RolledSpanAsync(from, to, ct);
        var hours = new Dictionary<DateTime, int>();
        if (rolledTo > rolledFrom)
        {
            var rolled = await db.Set<EventHourCount>().AsNoTracking()
                .Where(c => c.HourStart >= rolledFrom && c.HourStart < rolledTo && c.Source != EventHourCount.MarkerSource)
                .GroupBy(c => c.HourStart).Select(g => new { Hour = g.Key, Events = g.Sum(c => c.Events) }).ToListAsync(ct);
            foreach (var r in rolled)
            {
                hours[DateTime.SpecifyKind(r.Hour, DateTimeKind.Utc)] = r.Events;
            }
        }
        // The partial hours at the ends: their receive times, bucketed here (at most about two hours of events).
        foreach (var span in new[] { (From: from, To: rolledFrom, Inclusive: false), (From: rolledTo, To: to, Inclusive: true) })
        {
            var times = await Live(span.From, span.To, span.Inclusive).Select(e => e.ReceivedAt).ToListAsync(ct);
            foreach (var t in times)
            {
                var hour = HourOf(DateTime.SpecifyKind(t, DateTimeKind.Utc));
                hours[hour] = hours.GetValueOrDefault(hour) + 1;
            }
        }
        return hours.OrderBy(h => h.Key).Select(h => (h.Key, h.Value)).ToList();
    }

    private IQueryable<AlertEvent> Live(DateTime from, DateTime to, bool inclusiveEnd) =>
        inclusiveEnd
            ? db.Set<AlertEvent>().AsNoTracking().Where(e => e.ReceivedAt >= from && e.ReceivedAt <= to && e.GroupId != null)
            : db.Set<AlertEvent>().AsNoTracking().Where(e => e.ReceivedAt >= from && e.ReceivedAt < to && e.GroupId != null);

    private async Task<List<EventCount>> LiveAsync(DateTime from, DateTime to, bool inclusiveEnd, CancellationToken ct)
    {
        if (to < from || (to == from && !inclusiveEnd))
        {
            return [];
        }
        var rows = await Live(from, to, inclusiveEnd).GroupBy(e => new { e.Source, e.Project })
            .Select(g => new { g.Key.Source, g.Key.Project, Events = g.Count() }).ToListAsync(ct);
        return rows.Select(r => new EventCount(r.Source, r.Project, r.Events)).ToList();
    }

    /// <summary>The closed whole hours inside the range, rolled up first where they are not yet.</summary>
    private async Task<(DateTime From, DateTime To)> RolledSpanAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var first = HourOf(from) == from ? from : HourOf(from).AddHours(1);
        var end = HourOf(to - SettleTime);
        if (db.CurrentWorkspaceId is not { } workspaceId || end <= first)
        {
            // No workspace (a rollup is per workspace) or no closed whole hour: everything is read live.
            return (to, to);
        }
        if ((end - first).TotalHours > MaxHours)
        {
            first = end.AddHours(-MaxHours);
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RollUpAsync(workspaceId, first, end, ct);
                return (first, end);
            }
            catch (DbUpdateException ex) when (attempt < 3)
            {
                // Another request rolled up the same hours at the same moment: its rows are the same; read them.
                logger.LogDebug(ex, "Hours of workspace {WorkspaceId} were rolled up concurrently", workspaceId);
                Detach();
            }
        }
    }

    private async Task RollUpAsync(long workspaceId, DateTime first, DateTime end, CancellationToken ct)
    {
        var done = (await db.Set<EventHourCount>().AsNoTracking()
            .Where(c => c.Source == EventHourCount.MarkerSource && c.HourStart >= first && c.HourStart < end)
            .Select(c => c.HourStart).ToListAsync(ct)).Select(h => DateTime.SpecifyKind(h, DateTimeKind.Utc)).ToHashSet();
        var pending = 0;
        for (var hour = first; hour < end; hour = hour.AddHours(1))
        {
            if (done.Contains(hour))
            {
                continue;
            }
            var next = hour.AddHours(1);
            var rows = await db.Set<AlertEvent>().AsNoTracking().Where(e => e.ReceivedAt >= hour && e.ReceivedAt < next && e.GroupId != null)
                .GroupBy(e => new { e.Source, e.Project }).Select(g => new { g.Key.Source, g.Key.Project, Events = g.Count() })
                .ToListAsync(ct);
            db.AddRange(rows.Select(r => new EventHourCount
            {
                WorkspaceId = workspaceId, HourStart = hour, Source = r.Source, Project = r.Project ?? "", Events = r.Events,
            }));
            db.Add(new EventHourCount { WorkspaceId = workspaceId, HourStart = hour, Source = EventHourCount.MarkerSource, Project = "", Events = 0 });
            if (++pending == 24)
            {
                await db.SaveChangesAsync(ct);
                Detach();
                pending = 0;
            }
        }
        if (pending > 0)
        {
            await db.SaveChangesAsync(ct);
            Detach();
        }
    }

    /// <summary>Lets go of the rows written here (the request's own tracked entities, if any, stay as they were).</summary>
    private void Detach()
    {
        foreach (var entry in db.ChangeTracker.Entries<EventHourCount>().ToList())
        {
            entry.State = EntityState.Detached;
        }
    }
}
