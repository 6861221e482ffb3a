using System.Globalization;
using Microsoft.Extensions.Primitives;
using SignalCraft.Routing;

namespace SignalCraft.Web.Rules;

/// <summary>One escalation row of the builder, as typed (numbers stay text until the rule is built).</summary>
public sealed record EscalationRow(string After, string Target, string Mention, string Repeat);

/// <summary>
/// The rule builder's fields as the form carries them, read from a stored rule or a posted form and turned into the
/// API's <see cref="RuleDto"/>. Only the shape is checked here (numbers are numbers); what a rule may say is checked
/// by <see cref="RuleStore.SaveAsync"/>, the same code the API runs.
/// </summary>
public sealed class RuleInput
{
    /// <summary>Empty escalation rows offered below the filled ones (the form works without JavaScript).</summary>
    public const int SpareEscalationRows = 1;

    public string Name { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public bool Continue { get; set; }
    public string Environments { get; set; } = "";
    public string MinSeverity { get; set; } = "";
    public string Projects { get; set; } = "";
    public string Tags { get; set; } = "";
    public HashSet<string> Channels { get; set; } = [];
    public HashSet<string> KeptTargets { get; set; } = [];
    public string Mention { get; set; } = "auto";
    public string WaitSeconds { get; set; } = "0";
    public string AutoCloseMinutes { get; set; } = "";
    public string RunbookUrl { get; set; } = "";
    public string QuickActions { get; set; } = "";
    public List<EscalationRow> Escalation { get; set; } = [];

    /// <summary>The stored targets that are not Slack channels (webhooks), kept as they are unless unticked.</summary>
    public List<TargetSpec> OtherTargets { get; set; } = [];

    public static RuleInput FromRule(RuleDto rule) => new()
    {
        Name = rule.Name,
        Enabled = rule.Enabled,
        Continue = rule.Continue,
        Environments = string.Join(", ", rule.Conditions.Environments ?? []),
        MinSeverity = rule.Conditions.MinSeverity ?? "",
        Projects = string.Join(", ", rule.Conditions.Projects ?? []),
        Tags = string.Join("\n", (rule.Conditions.Tags ?? []).Select(t => $"{t.Key} {(t.Op == "contains" ? "~" : "=")} {t.Value}")),
        Channels = rule.Actions.Targets.Where(t => t.Kind == "slack").Select(TargetValue).ToHashSet(),
        KeptTargets = rule.Actions.Targets.Where(t => t.Kind != "slack" && t.TargetId is not null).Select(t => t.TargetId!.Value.ToString(CultureInfo.InvariantCulture)).ToHashSet(),
        OtherTargets = rule.Actions.Targets.Where(t => t.Kind != "slack").ToList(),
        Mention = rule.Actions.Mention,
        WaitSeconds = rule.Actions.WaitSeconds.ToString(CultureInfo.InvariantCulture),
        AutoCloseMinutes = rule.Actions.AutoCloseMinutes?.ToString(CultureInfo.InvariantCulture) ?? "",
        RunbookUrl = rule.Actions.RunbookUrl ?? "",
        QuickActions = string.Join("\n", rule.Actions.QuickActions.Select(q => $"{q.Label} | {q.Url}")),
        Escalation = rule.Actions.Escalation.Select(s => new EscalationRow(s.AfterMinutes.ToString(CultureInfo.InvariantCulture),
            s.Target is null ? "" : TargetValue(s.Target), s.Mention ?? "",
            s.RepeatEveryMinutes?.ToString(CultureInfo.InvariantCulture) ?? "")).ToList(),
    };

    /// <summary>Reads the posted builder; <paramref name="stored"/> supplies the webhook targets the form can only keep or drop.</summary>
    public static RuleInput FromForm(IFormCollection form, RuleDto? stored)
    {
        string One(string key) => form[key].ToString().Trim();
        var input = new RuleInput
        {
            Name = One("name"),
            Enabled = form.ContainsKey("enabled"),
            Continue = form.ContainsKey("continue"),
            Environments = One("environments"),
            MinSeverity = One("minSeverity"),
            Projects = One("projects"),
            Tags = One("tags"),
            Channels = Values(form["channel"]),
            KeptTargets = Values(form["keep"]),
            OtherTargets = stored?.Actions.Targets.Where(t => t.Kind != "slack").ToList() ?? [],
            Mention = One("mention"),
            WaitSeconds = One("waitSeconds"),
            AutoCloseMinutes = One("autoCloseMinutes"),
            RunbookUrl = One("runbookUrl"),
            QuickActions = One("quickActions"),
        };
        for (var i = 0; form.ContainsKey($"esc{i}.after"); i++)
        {
            var row = new EscalationRow(One($"esc{i}.after"), One($"esc{i}.target"), One($"esc{i}.mention"), One($"esc{i}.repeat"));
            if (row.After.Length > 0 || row.Target.Length > 0 || row.Mention.Length > 0 || row.Repeat.Length > 0)
            {
                input.Escalation.Add(row);
            }
        }
        return input;
    }

    /// <summary>The API's shape of the typed rule, or the fields whose text is not even a number or a pair.</summary>
    public (RuleDto? Rule, Dictionary<string, string[]> Errors) ToRule()
    {
        var errors = new Dictionary<string, string[]>();
        int? Number(string text, string field, string message)
        {
            if (text.Length == 0)
            {
                return null;
            }
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
            errors[field] = [message];
            return null;
        }

        var tags = new List<TagCondition>();
        foreach (var line in Lines(Tags))
        {
            var op = line.Contains('~') && (!line.Contains('=') || line.IndexOf('~') < line.IndexOf('=')) ? '~' : '=';
            var parts = line.Split(op, 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                errors["conditions.tags"] = [$"Write each tag as \"key = value\" (or \"key ~ part\" for contains); \"{line}\" is neither."];
                continue;
            }
            tags.Add(new TagCondition(parts[0], op == '~' ? "contains" : "equals", parts[1]));
        }
        var quick = new List<QuickAction>();
        foreach (var line in Lines(QuickActions))
        {
            var parts = line.Split('|', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                errors["actions.quickActions"] = [$"Write each quick action as \"Label | https://…\"; \"{line}\" is not."];
                continue;
            }
            quick.Add(new QuickAction(parts[0], parts[1]));
        }
        var steps = new List<EscalationStep>();
        for (var i = 0; i < Escalation.Count; i++)
        {
            var row = Escalation[i];
            var after = Number(row.After, $"actions.escalation[{i}]", "Write the minutes as a whole number.");
            var repeat = Number(row.Repeat, $"actions.escalation[{i}]", "Write the minutes as a whole number.");
            steps.Add(new EscalationStep(after ?? 0, ParseTarget(row.Target), row.Mention.Length == 0 ? null : row.Mention, repeat));
        }
        var wait = Number(WaitSeconds, "actions.waitSeconds", "Write the wait as a whole number of seconds.") ?? 0;
        var autoClose = Number(AutoCloseMinutes, "actions.autoCloseMinutes", "Write the minutes as a whole number, or leave it empty.");

        var targets = Channels.Select(ParseTarget).OfType<TargetSpec>()
            .Concat(OtherTargets.Where(t => t.TargetId is { } id && KeptTargets.Contains(id.ToString(CultureInfo.InvariantCulture)))
                .Select(t => new TargetSpec { Kind = t.Kind, TargetId = t.TargetId }))
            .ToList();
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (new RuleDto
        {
            Name = Name,
            Enabled = Enabled,
            Continue = Continue,
            Conditions = new RuleConditions
            {
                Environments = List(Environments),
                MinSeverity = MinSeverity.Length == 0 ? null : MinSeverity,
                Projects = List(Projects),
                Tags = tags.Count == 0 ? null : tags,
            },
            Actions = new RuleActions
            {
                Targets = targets,
                Mention = Mention.Length == 0 ? "auto" : Mention,
                WaitSeconds = wait,
                Escalation = steps,
                AutoCloseMinutes = autoClose,
                RunbookUrl = RunbookUrl.Length == 0 ? null : RunbookUrl,
                QuickActions = quick,
            },
        }, errors);
    }

    /// <summary>A target's picker value: <c>connectionId:channelId</c> for Slack, <c>target:id</c> for a kept target.</summary>
    public static string TargetValue(TargetSpec t) =>
        t.Kind == "slack" && t.Channel is not null ? $"{t.ConnectionId}:{t.Channel}" : $"target:{t.TargetId}";

    private static TargetSpec? ParseTarget(string value)
    {
        if (value.StartsWith("target:", StringComparison.Ordinal) && long.TryParse(value[7..], CultureInfo.InvariantCulture, out var id))
        {
            return new TargetSpec { Kind = "webhook", TargetId = id };
        }
        var colon = value.IndexOf(':');
        if (colon <= 0)
        {
            return null;
        }
        return new TargetSpec
        {
            Kind = "slack",
            ConnectionId = long.TryParse(value[..colon], CultureInfo.InvariantCulture, out var connection) ? connection : null,
            Channel = value[(colon + 1)..],
        };
    }

    private static HashSet<string> Values(StringValues values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToHashSet();

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static List<string>? List(string text)
    {
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return items.Count == 0 ? null : items;
    }
}
