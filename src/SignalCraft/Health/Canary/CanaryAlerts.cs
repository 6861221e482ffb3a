using SignalCraft.Alerts;

namespace SignalCraft.Health.Canary;

/// <summary>The alerts the canary writes: its probe (source <c>signalcraft-canary</c>) and SignalCraft's own "canary missed".</summary>
public static class CanaryAlerts
{
    /// <summary>SignalCraft's own alerts share the heartbeats' source, so one rule on <c>signalcraft</c> routes both.</summary>
    public const string OwnSource = Heartbeats.CheckHeartbeatsHandler.Source;

    public const string MissedIdentity = "canary:missed";

    public static NormalizedAlert Probe(long runId, string target, int intervalMinutes, DateTime now) => new(
        SyntheticSources.Canary, AlertKind.Occurrence, "canary.probe", $"canary:{runId}", $"canary:{runId}", null, null, Severity.Info,
        "SignalCraft canary: delivery check, no action needed",
        $"SignalCraft sends this to {target} every {intervalMinutes} minutes to prove that alerts get through. "
        + "It is not an incident; its round trip is shown on Delivery Health.",
        [], now, null, "canary")
    {
        SourceResolves = true,
        Actor = "SignalCraft",
    };

    public static NormalizedAlert Missed(long runId, string target, TimeSpan deadline, string why, DateTime enqueuedAt) => new(
        OwnSource, AlertKind.Occurrence, "canary.missed", $"canary-missed:{runId}", MissedIdentity, null, null, Severity.High,
        $"Canary missed: not delivered to {target} within {deadline.TotalSeconds:0} s",
        $"The canary sent at {enqueuedAt:yyyy-MM-dd HH:mm:ss} UTC did not reach {target}: {why}. Real alerts to it are likely stuck too; "
        + "check Delivery Health.",
        [new AlertTag("target", target)], enqueuedAt + deadline, null, "canary")
    {
        SourceResolves = true,
        Actor = "SignalCraft",
    };

    public static NormalizedAlert Delivered(long runId, string target, DateTime deliveredAt) => new(
        OwnSource, AlertKind.Resolved, "canary.delivered", $"canary-delivered:{runId}", MissedIdentity, null, null, null,
        $"Canary delivered to {target} again", null, [], deliveredAt, null, "canary")
    {
        SourceResolves = true,
        Actor = "SignalCraft",
    };
}
