namespace SignalCraft.Health;

/// <summary>
/// Percentiles by linear interpolation between closest ranks (the "inclusive" method of spreadsheets and numpy's
/// default): the median of an even count is the mean of the middle two, so hand-computed figures match.
/// </summary>
public static class Percentiles
{
    public static double? Of(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return null;
        }
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return Math.Round(sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower), 1);
    }

    public static DurationStats Stats(IEnumerable<double> seconds)
    {
        var sorted = seconds.Order().ToList();
        return new DurationStats(sorted.Count, Of(sorted, 0.5), Of(sorted, 0.9));
    }
}
