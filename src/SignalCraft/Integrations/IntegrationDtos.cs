using System.ComponentModel.DataAnnotations;

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
public sealed record IntegrationDto(
    long Id, string Type, string Name, string Mode, string WebhookUrl, bool Enabled, bool HasClientSecret,
    int? ExpectedIntervalMinutes, DateTime CreatedAt, DateTime? LastWebhookAt, DateTime? LastRejectionAt,
    string? LastRejectionReason, int QuarantineDropped, int QuarantinedBodies,
    IReadOnlyList<ReasonCount> Accepted24h, IReadOnlyList<ReasonCount> Rejected24h);
