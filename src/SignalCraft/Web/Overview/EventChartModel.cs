using System.Globalization;
using SignalCraft.Health;

namespace SignalCraft.Web.Overview;

/// <summary>One bar: events received from <see cref="StartUtc"/> (inclusive) to <see cref="EndUtc"/>.</summary>
public sealed record ChartBar(DateTime StartUtc, DateTime EndUtc, string Label, string LongLabel, int Events);

/// <summary>
/// The Overview's event chart: a bar per hour for ranges up to a day, per day (in the viewer's zone) beyond. Every
/// slot of the range gets a bar, quiet ones at zero, so the gaps read as quiet rather than missing. The bars add up
/// to the range's event count (the first and last hour are partial).
/// </summary>
public sealed record EventChartModel(IReadOnlyList<ChartBar> Bars, string Unit, int Total)
{
    public int Max => Bars.Count == 0 ? 0 : Bars.Max(b => b.Events);

    public ChartBar? Peak => Total == 0 ? null : Bars.MaxBy(b => b.Events);

    public static EventChartModel Build(IReadOnlyList<HourlyEvents> hours, DateTime from, DateTime to, TimeZoneInfo zone)
    {
        var counts = hours.ToDictionary(h => h.HourUtc, h => h.Events);
        var total = hours.Sum(h => h.Events);
        var firstHour = Truncate(from);
        if (to - from <= TimeSpan.FromHours(25))
        {
            var bars = new List<ChartBar>();
            for (var hour = firstHour; hour <= to; hour = hour.AddHours(1))
            {
                var local = TimeZoneInfo.ConvertTimeFromUtc(hour, zone);
                bars.Add(new ChartBar(hour < from ? from : hour, hour.AddHours(1) > to ? to : hour.AddHours(1),
                    local.ToString("HH:mm", CultureInfo.InvariantCulture), local.ToString("d MMM HH:mm", CultureInfo.InvariantCulture),
                    counts.GetValueOrDefault(hour)));
            }
            return new EventChartModel(bars, "hour", total);
        }
        // Longer ranges: one bar per local day; an hour counts for the day its start falls on.
        var days = new SortedDictionary<DateTime, (DateTime Start, DateTime End, int Events)>();
        for (var hour = firstHour; hour <= to; hour = hour.AddHours(1))
        {
            var day = TimeZoneInfo.ConvertTimeFromUtc(hour, zone).Date;
            var events = counts.GetValueOrDefault(hour);
            var end = hour.AddHours(1) > to ? to : hour.AddHours(1);
            days[day] = days.TryGetValue(day, out var d) ? (d.Start, end, d.Events + events) : (hour < from ? from : hour, end, events);
        }
        return new EventChartModel(days.Select(d => new ChartBar(d.Value.Start, d.Value.End,
            d.Key.ToString("ddd d", CultureInfo.InvariantCulture), d.Key.ToString("ddd d MMM", CultureInfo.InvariantCulture), d.Value.Events)).ToList(),
            "day", total);
    }

    private static DateTime Truncate(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);
}
