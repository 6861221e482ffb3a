namespace SignalCraft.Health;

/// <summary>Events received in one UTC clock hour (<see cref="HourUtc"/> is the hour's start).</summary>
public sealed record HourlyEvents(DateTime HourUtc, int Events);

public sealed partial class OutcomeQueries
{
    /// <summary>
    /// Events received per UTC clock hour in [from, to], oldest first, hours without events left out. The first and
    /// last hours are partial when the range does not start or end on the hour, so the counts always add up to the
    /// range's event count. Closed hours come from the hourly rollup, so a week is 168 small rows, not a million events.
    /// </summary>
    public async Task<IReadOnlyList<HourlyEvents>> EventsPerHourAsync(DateTime from, DateTime to, CancellationToken ct) =>
        (await rollup.PerHourAsync(from, to, ct)).Select(h => new HourlyEvents(h.HourStart, h.Events)).ToList();
}
