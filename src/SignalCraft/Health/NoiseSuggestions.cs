namespace SignalCraft.Health;

/// <summary>
/// Turns the noisiest (source, project, environment) buckets into one concrete thing to do: a bucket that produced a
/// large share of the events in few groups is either a non-production environment worth routing elsewhere, or one
/// group worth fixing or muting.
/// </summary>
public static class NoiseSuggestions
{
    public sealed record Bucket(string Source, string? Project, string? Environment, int Events, int Groups, long TopGroupId,
        string TopGroupTitle, int TopGroupEvents);

    /// <summary>Buckets with at least this share of the range's events are worth a suggestion.</summary>
    public const double MinShare = 0.2;

    public static IReadOnlyList<NoisySuggestion> For(IEnumerable<Bucket> buckets, int totalEvents)
    {
        if (totalEvents == 0)
        {
            return [];
        }
        return buckets
            .Where(b => (double)b.Events / totalEvents >= MinShare && b.Events > b.Groups)
            .OrderByDescending(b => b.Events).Take(3)
            .Select(b =>
            {
                var share = Math.Round(100.0 * b.Events / totalEvents);
                var where = $"{b.Project ?? b.Source} / {b.Environment ?? "no environment"}";
                var groups = b.Groups == 1 ? "1 group" : $"{b.Groups} groups";
                var action = IsProduction(b.Environment)
                    ? $"fix or mute group #{b.TopGroupId} “{b.TopGroupTitle}” ({b.TopGroupEvents} events)"
                    : $"route {b.Environment ?? "it"} to a quieter channel (e.g. #dev-alerts) or mute group #{b.TopGroupId} “{b.TopGroupTitle}”";
                return new NoisySuggestion(b.Source, b.Project, b.Environment, b.Events, b.Groups, share / 100,
                    b.TopGroupId, b.TopGroupTitle, $"{where} produced {share:0}% of events in {groups}: {action}");
            }).ToList();
    }

    private static bool IsProduction(string? environment) =>
        environment is not null && (environment.Equals("production", StringComparison.OrdinalIgnoreCase)
            || environment.Equals("prod", StringComparison.OrdinalIgnoreCase));
}
