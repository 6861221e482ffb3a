using System.Text.Json.Serialization;

namespace SignalCraft.Notify.Webhook;

/// <summary>
/// The frozen outgoing webhook shape: <c>{type, group: {id, title, severity, status, project, environment, count,
/// link}, rule, mention, attempt, sentAt}</c>. Extend freely, rename nothing.
/// </summary>
public sealed record WebhookPayload(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("group")] WebhookGroup Group,
    [property: JsonPropertyName("rule")] string? Rule,
    [property: JsonPropertyName("mention")] string? Mention,
    [property: JsonPropertyName("attempt")] int Attempt,
    [property: JsonPropertyName("sentAt")] DateTime SentAt)
{
    /// <summary>Present only when this target is the workspace's fallback and the primary failed (an addition; nothing renamed).</summary>
    [JsonPropertyName("fallback")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WebhookFallback? Fallback { get; init; }
}

/// <summary>Why the fallback was told: the primary target and its failure, e.g. <c>Slack C0ALERTS failed (Auth: …)</c>.</summary>
public sealed record WebhookFallback([property: JsonPropertyName("reason")] string Reason);

public sealed record WebhookGroup(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("project")] string? Project,
    [property: JsonPropertyName("environment")] string? Environment,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("link")] string Link);

/// <summary>Event types of the outgoing webhook.</summary>
public static class WebhookEventTypes
{
    public const string Opened = "group.opened";
    public const string Updated = "group.updated";
    public const string Escalated = "group.escalated";
    public const string Resolved = "group.resolved";
}
