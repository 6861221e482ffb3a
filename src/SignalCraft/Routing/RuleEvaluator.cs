using SignalCraft.Alerts;
using SignalCraft.Grouping;

namespace SignalCraft.Routing;

/// <summary>
/// Ordered rule evaluation: rules are tried in position order, all conditions of a rule must hold, the first match
/// wins unless it says <c>continue</c>. Pure: values in, matches out.
/// </summary>
public static class RuleEvaluator
{
    public static IReadOnlyList<RuleDto> Match(IEnumerable<RuleDto> orderedRules, AlertFacts facts, IReadOnlyDictionary<string, string> environmentAliases)
    {
        var matches = new List<RuleDto>();
        foreach (var rule in orderedRules)
        {
            if (!rule.Enabled || !Matches(rule.Conditions, facts, environmentAliases))
            {
                continue;
            }
            matches.Add(rule);
            if (!rule.Continue)
            {
                break;
            }
        }
        return matches;
    }

    public static bool Matches(RuleConditions c, AlertFacts facts, IReadOnlyDictionary<string, string> aliases)
    {
        if (c.Environments is { Count: > 0 } envs
            && !envs.Any(e => GroupingRules.EnvironmentKey(e, aliases) == facts.EnvironmentKey))
        {
            return false;
        }
        if (c.MinSeverity is { } min && SeverityNames.TryParse(min, out var minimum) && !facts.Severity.AtLeast(minimum))
        {
            return false;
        }
        if (c.Projects is { Count: > 0 } projects
            && !projects.Any(p => string.Equals(p, facts.Project, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        if (c.Sources is { Count: > 0 } sources && !sources.Any(s => string.Equals(s, facts.Source, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        foreach (var tag in c.Tags ?? [])
        {
            var contains = string.Equals(tag.Op, "contains", StringComparison.OrdinalIgnoreCase);
            if (!facts.Tags.Any(t => string.Equals(t.Key, tag.Key, StringComparison.OrdinalIgnoreCase)
                && (contains ? t.Value.Contains(tag.Value, StringComparison.OrdinalIgnoreCase) : string.Equals(t.Value, tag.Value, StringComparison.Ordinal))))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Checks a rule's conditions and actions; returns field → messages for a validation problem.</summary>
    public static Dictionary<string, string[]> Validate(RuleDto rule)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(rule.Name) || rule.Name.Length > 200)
        {
            errors["name"] = ["Give the rule a name (up to 200 characters)."];
        }
        if (rule.Conditions.MinSeverity is { } min && !SeverityNames.TryParse(min, out _))
        {
            errors["conditions.minSeverity"] = ["Use critical, high, med, low or info."];
        }
        foreach (var tag in rule.Conditions.Tags ?? [])
        {
            if (string.IsNullOrWhiteSpace(tag.Key) || tag.Op is not (null or "equals" or "contains"))
            {
                errors["conditions.tags"] = ["Each tag condition needs a key and op equals or contains."];
            }
        }
        if (!Mention.TryParse(rule.Actions.Mention, out _))
        {
            errors["actions.mention"] = [Mention.Grammar];
        }
        if (rule.Actions.WaitSeconds is < 0 or > 86_400)
        {
            errors["actions.waitSeconds"] = ["Use 0 to 86400 seconds."];
        }
        for (var i = 0; i < rule.Actions.Escalation.Count; i++)
        {
            var step = rule.Actions.Escalation[i];
            if (step.AfterMinutes is < 1 or > 10_080 || step.RepeatEveryMinutes is < 1 or > 10_080)
            {
                errors[$"actions.escalation[{i}]"] = ["afterMinutes and repeatEveryMinutes are 1 to 10080."];
            }
            if (step.RepeatEveryMinutes is not null && i != rule.Actions.Escalation.Count - 1)
            {
                errors[$"actions.escalation[{i}].repeatEveryMinutes"] = ["Only the last escalation step may repeat."];
            }
            if (step.Mention is not null && !Mention.TryParse(step.Mention, out _))
            {
                errors[$"actions.escalation[{i}].mention"] = [Mention.Grammar];
            }
        }
        if (rule.Actions.AutoCloseMinutes is < 1 or > 43_200)
        {
            errors["actions.autoCloseMinutes"] = ["Use 1 to 43200 minutes."];
        }
        foreach (var (url, field) in new[] { (rule.Actions.RunbookUrl, "actions.runbookUrl") }
            .Concat(rule.Actions.QuickActions.Select((q, i) => ((string?)q.Url, $"actions.quickActions[{i}].url"))))
        {
            if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")))
            {
                errors[field] = ["Use an absolute http(s) URL."];
            }
        }
        return errors;
    }
}
