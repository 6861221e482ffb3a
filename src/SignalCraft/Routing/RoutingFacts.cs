using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;

namespace SignalCraft.Routing;

/// <summary>Reads the facts rules test from a group (its key fields and tags).</summary>
public static class RoutingFacts
{
    /// <summary>Group environment keys are already canonical, so rule environments need only the workspace aliases.</summary>
    public static readonly IReadOnlyDictionary<string, string> NoAliases = new Dictionary<string, string>();

    public static async Task<AlertFacts> ForAsync(SignalCraftDbContext db, AlertGroup group, CancellationToken ct)
    {
        var tags = await db.Set<GroupTag>().IgnoreQueryFilters().Where(t => t.GroupId == group.Id)
            .Select(t => new AlertTag(t.Key, t.Value)).ToListAsync(ct);
        tags.AddRange(db.Set<GroupTag>().Local.Where(t => t.GroupId == group.Id).Select(t => new AlertTag(t.Key, t.Value)));
        return new AlertFacts(group.Source, group.Project, group.EnvironmentKey, group.Severity, tags.Distinct().ToList());
    }
}

/// <summary>A mute's conditions use the rule condition schema.</summary>
public static class MuteConditions
{
    public static RuleConditions Parse(Mute mute) => JsonSerializer.Deserialize<RuleConditions>(mute.ConditionsJson, RuleStore.Json) ?? new();
}
