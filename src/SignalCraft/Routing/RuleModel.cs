using System.Text.Json.Serialization;

namespace SignalCraft.Routing;

/// <summary>A routing rule as the API takes and returns it (JSON frozen: extend freely, rename nothing).</summary>
public sealed record RuleDto
{
    public long? Id { get; init; }
    public required string Name { get; init; }
    public bool Enabled { get; init; } = true;
    public bool Continue { get; init; }
    public int? Position { get; init; }
    public RuleConditions Conditions { get; init; } = new();
    public RuleActions Actions { get; init; } = new();
}

/// <summary>All conditions must hold; an absent (null or empty) condition matches everything.</summary>
public sealed record RuleConditions
{
    public IReadOnlyList<string>? Environments { get; init; }
    public string? MinSeverity { get; init; }
    public IReadOnlyList<string>? Projects { get; init; }
    public IReadOnlyList<string>? Sources { get; init; }
    public IReadOnlyList<TagCondition>? Tags { get; init; }
}

/// <summary>A tag condition: <c>op</c> is <c>equals</c> (default) or <c>contains</c>.</summary>
public sealed record TagCondition(string Key, string? Op, string Value);

public sealed record RuleActions
{
    public IReadOnlyList<TargetSpec> Targets { get; init; } = [];
    public string Mention { get; init; } = "auto";
    public int WaitSeconds { get; init; }
    public IReadOnlyList<EscalationStep> Escalation { get; init; } = [];
    public int? AutoCloseMinutes { get; init; }
    public string? RunbookUrl { get; init; }
    public IReadOnlyList<QuickAction> QuickActions { get; init; } = [];
}

/// <summary>
/// A target named inline: <c>{kind: "slack", channel, connectionId}</c> or <c>{kind: "webhook", url}</c>. Responses
/// carry the server's <c>targetId</c>; webhook URLs come back masked.
/// </summary>
public sealed record TargetSpec
{
    public required string Kind { get; init; }
    public string? Channel { get; init; }
    public long? ConnectionId { get; init; }
    public string? Url { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? TargetId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastError { get; init; }
}

/// <summary>An escalation step; the last one may repeat every N minutes until someone acknowledges.</summary>
public sealed record EscalationStep(int AfterMinutes, TargetSpec? Target, string? Mention, int? RepeatEveryMinutes);

public sealed record QuickAction(string Label, string Url);

/// <summary>The facts of a group that rules test.</summary>
public sealed record AlertFacts(string Source, string? Project, string EnvironmentKey, Alerts.Severity Severity, IReadOnlyList<Alerts.AlertTag> Tags);
