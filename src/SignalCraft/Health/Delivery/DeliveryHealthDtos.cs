using SignalCraft.Integrations;

namespace SignalCraft.Health.Delivery;

/// <summary>Red (alerts are not getting through), amber (degraded or unproven), green (working).</summary>
public static class HealthState
{
    public const string Red = "red";
    public const string Amber = "amber";
    public const string Green = "green";

    public static int Rank(string state) => state switch { Red => 2, Amber => 1, _ => 0 };

    public static string Worst(IEnumerable<string> states) => states.MaxBy(Rank) ?? Green;
}

/// <summary>
/// <c>GET /api/health/delivery</c>: whether alerts are getting through in the caller's workspace, and why not. Every
/// row has a state and a sentence saying why ("Slack token revoked 12 min ago — reconnect").
/// </summary>
public sealed record DeliveryHealthReport(
    DateTime GeneratedAt, string State, string Summary, IReadOnlyList<SourceHealth> Sources, IReadOnlyList<SlackConnectionHealth> Slack,
    IReadOnlyList<TargetHealth> Webhooks, QueueHealth Queue, Canary.CanaryHealth? Canary = null);

/// <summary>One source integration: when it was last heard from and what it sent that was refused.</summary>
public sealed record SourceHealth(
    long Id, string Type, string Name, bool Enabled, string State, string Reason, DateTime? LastWebhookAt, double? LastWebhookSecondsAgo,
    int? ExpectedIntervalMinutes, WebhookWindow LastHour, WebhookWindow Last24Hours, DateTime? LastRejectionAt, string? LastRejectionReason,
    int Quarantined, int QuarantineDropped, string? QuarantineUrl);

/// <summary>Accepted and rejected webhooks over a window, per reason (reasons as in <see cref="WebhookReasons"/>).</summary>
public sealed record WebhookWindow(int Accepted, int Rejected, IReadOnlyList<ReasonCount> AcceptedByReason, IReadOnlyList<ReasonCount> RejectedByReason);

/// <summary>One Slack connection: its token's status and its channels.</summary>
public sealed record SlackConnectionHealth(
    long Id, string TeamId, string? TeamName, string State, string Reason, string TokenStatus, string? TokenError, DateTime? TokenErrorAt,
    DateTime? TokenCheckedAt, DateTime? NextTokenCheckAt, IReadOnlyList<TargetHealth> Targets);

/// <summary>One notification target (a Slack channel or an outgoing webhook) and its deliveries.</summary>
public sealed record TargetHealth(
    long Id, string Kind, string Name, string State, string Reason, string Status, DateTime? LastSuccessAt, DateTime? LastFailureAt,
    string? LastError, int Queued, double? OldestQueuedSeconds, int Retrying, IReadOnlyList<DiscardedNotification> Discarded);

/// <summary>A notification whose job gave up; <c>retryUrl</c> takes it up again (POST).</summary>
public sealed record DiscardedNotification(long JobId, long GroupId, string? GroupTitle, string Reason, int Attempts, DateTime? DiscardedAt,
    string? Error, string RetryUrl);

/// <summary>The workspace's notification jobs, and whether a worker is sweeping the queue.</summary>
public sealed record QueueHealth(string State, string Reason, int Queued, double? OldestQueuedSeconds, int Retrying, int Discarded24h,
    DateTime? MaintenanceLeaseExpiresAt);
