using Microsoft.EntityFrameworkCore;
using SignalCraft.Alerts;

namespace SignalCraft.Health;

/// <summary>Events received in one UTC clock hour (<see cref="HourUtc"/> is the hour's start).</summary>
public sealed record HourlyEvents(DateTime HourUtc, int Events);

public sealed partial class OutcomeQueries
{
    /// <summary>
    /// Events received per UTC clock hour in [from, to], oldest first, hours without events left out. The first and
    /// last hours are partial when the range does not start or end on the hour, so the counts always add up to the
    /// range's event count. Grouped in the database: a busy day is a million rows, the answer at most 24 × days.
    /// </summary>
    public async Task<IReadOnlyList<HourlyEvents>> EventsPerHourAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var rows = await db.Set<AlertEvent>().AsNoTracking().Where(e => e.ReceivedAt >= from && e.ReceivedAt <= to && e.GroupId != null)
            .GroupBy(e => new { e.ReceivedAt.Date, e.ReceivedAt.Hour })
            .Select(g => new { g.Key.Date, g.Key.Hour, Events = g.Count() })
            .ToListAsync(ct);
        return rows.Select(r => new HourlyEvents(DateTime.SpecifyKind(r.Date, DateTimeKind.Utc).AddHours(r.Hour), r.Events))
            .OrderBy(h => h.HourUtc).ToList();
    }
}
