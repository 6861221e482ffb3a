using System.Text.Json;
using SignalCraft.Alerts;

namespace SignalCraft.Grouping;

/// <summary>Per-workspace grouping settings (from workspace settings).</summary>
public sealed record GroupingSettings(TimeSpan DedupWindow, IReadOnlyDictionary<string, string> EnvironmentAliases)
{
    public static readonly GroupingSettings Default = new(TimeSpan.FromMinutes(60),
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["prod"] = "production" });
}

/// <summary>
/// The grouping decisions as pure functions of values and "now" (receive time from <see cref="TimeProvider"/>,
/// never the sender's clock).
/// </summary>
public static class GroupingRules
{
    /// <summary>A group reopened this many times within <see cref="FlappingWindow"/> is flapping.</summary>
    public const int FlappingReopens = 3;

    /// <summary>The window for counting reopens; a group quiet (no reopen) for this long stops flapping.</summary>
    public static readonly TimeSpan FlappingWindow = TimeSpan.FromHours(1);

    /// <summary>In production, this many occurrences within <see cref="SpikeWindow"/> raise severity one level, once.</summary>
    public const int SpikeThreshold = 20;

    public static readonly TimeSpan SpikeWindow = TimeSpan.FromMinutes(5);

    public const string ProductionEnvironment = "production";

    /// <summary>The canonical environment name used in the group key (aliases applied, lower-case), or "" for none.</summary>
    public static string EnvironmentKey(string? environment, IReadOnlyDictionary<string, string> aliases)
    {
        if (string.IsNullOrWhiteSpace(environment))
        {
            return "";
        }
        var name = environment.Trim().ToLowerInvariant();
        return aliases.TryGetValue(name, out var canonical) ? canonical.Trim().ToLowerInvariant() : name;
    }

    public static bool IsProduction(string environmentKey) => environmentKey == ProductionEnvironment;

    /// <summary>After a resolve, an occurrence within the window reopens the group; after it, a new group opens.</summary>
    public static bool ReopensResolvedGroup(DateTime resolvedAt, DateTime now, TimeSpan dedupWindow) =>
        now - resolvedAt <= dedupWindow;

    /// <summary>Records a reopen and tells whether the group is now flapping.</summary>
    public static (bool Flapping, string RecentReopens) AfterReopen(string recentReopensJson, DateTime now)
    {
        var recent = Recent(recentReopensJson, now);
        recent.Add(now);
        return (recent.Count >= FlappingReopens, JsonSerializer.Serialize(recent));
    }

    /// <summary>True once no reopen happened within the flapping window (the flag clears after a quiet period).</summary>
    public static bool FlappingHasCalmed(string recentReopensJson, DateTime now) => Recent(recentReopensJson, now).Count == 0;

    /// <summary>Advances the spike-rate window by one occurrence.</summary>
    public static (DateTime Start, int Count) AfterOccurrence(DateTime windowStart, int windowCount, DateTime now) =>
        now - windowStart >= SpikeWindow || windowStart > now ? (now, 1) : (windowStart, windowCount + 1);

    /// <summary>A production group whose rate spikes is bumped one level, once.</summary>
    public static bool ShouldBumpForSpike(string environmentKey, int windowCount, bool alreadyBumped) =>
        !alreadyBumped && IsProduction(environmentKey) && windowCount >= SpikeThreshold;

    /// <summary>A manual override is kept until someone changes it; later source severities do not replace it.</summary>
    public static Severity Effective(Severity source, Severity? manual) => manual ?? source;

    private static List<DateTime> Recent(string json, DateTime now)
    {
        var all = string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<DateTime>>(json) ?? [];
        return all.Where(t => now - t < FlappingWindow).ToList();
    }
}
