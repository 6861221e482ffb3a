using SignalCraft.Routing;

namespace SignalCraft.Web.Rules;

/// <summary>A rule in words for the list: "env in production · severity ≥ high · project in checkout".</summary>
public static class RuleText
{
    public static string Conditions(RuleConditions c)
    {
        var parts = new List<string>();
        if (c.Environments is { Count: > 0 } envs)
        {
            parts.Add($"env in {string.Join(", ", envs)}");
        }
        if (c.MinSeverity is { Length: > 0 } min)
        {
            parts.Add($"severity ≥ {min}");
        }
        if (c.Projects is { Count: > 0 } projects)
        {
            parts.Add($"project in {string.Join(", ", projects)}");
        }
        if (c.Sources is { Count: > 0 } sources)
        {
            parts.Add($"source in {string.Join(", ", sources)}");
        }
        parts.AddRange((c.Tags ?? []).Select(t => t.Op == "contains" ? $"{t.Key} contains {t.Value}" : $"{t.Key} = {t.Value}"));
        return parts.Count == 0 ? "every alert" : string.Join(" · ", parts);
    }

    public static string Wait(int seconds) => seconds switch
    {
        0 => "at once",
        < 120 => $"after {seconds} s",
        _ when seconds % 60 == 0 => $"after {seconds / 60} min",
        _ => $"after {seconds} s",
    };

    /// <summary>Mention policies in words (the grammar is <see cref="Mention"/>'s).</summary>
    public static string Mention(string mention) => mention switch
    {
        "auto" => "@here for high and critical",
        "here" => "@here",
        "channel" => "@channel",
        "none" => "no mention",
        "assignee" => "the assignee",
        _ => mention,
    };
}
