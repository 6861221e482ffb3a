using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace SignalCraft.Integrations;

/// <summary><c>POST /api/integrations</c>.</summary>
public sealed record CreateIntegrationRequest(
    [property: Required] string Type,
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    string? Mode,
    string? ClientSecret,
    string? Key,
    int? ExpectedIntervalMinutes);

/// <summary><c>PATCH /api/integrations/{id}</c>: only the fields given change.</summary>
public sealed record UpdateIntegrationRequest(string? Name, string? ClientSecret, bool? Enabled, int? ExpectedIntervalMinutes);

public sealed record ReasonCount(string Reason, int Count);

/// <summary>An integration as admins see it: the webhook URL (a credential) but never the client secret.</summary>
/// Slack connections are listed too (<c>type: "slack"</c>, ids of their own), with their health and their targets'.
public sealed record IntegrationDto(
    long Id, string Type, string Name, string Mode, string? WebhookUrl, bool Enabled, bool HasClientSecret,
    int? ExpectedIntervalMinutes, DateTime CreatedAt, DateTime? LastWebhookAt, DateTime? LastRejectionAt,
    string? LastRejectionReason, int QuarantineDropped, int QuarantinedBodies,
    IReadOnlyList<ReasonCount> Accepted24h, IReadOnlyList<ReasonCount> Rejected24h)
{
    /// <summary><c>ok</c> or <c>unhealthy</c> (Slack connections).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastError { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Slack.SlackConnectionDto? Slack { get; init; }
}
