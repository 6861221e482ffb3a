using Prometheus;

namespace SignalCraft.Health;

/// <summary>
/// SignalCraft's own operator metrics, exported at <c>/metrics</c> through prometheus-net. Labels carry only
/// low-cardinality, tenant-free values — source type, outcome, category, kind, queue state — never a workspace,
/// integration or user identifier, so one scrape config serves every installation without telling who uses it.
/// Static because the recorders (ingest answers, the delivery log) are static helpers or process-wide singletons.
/// </summary>
public static class OperatorMetrics
{
    /// <summary>Only these series (and the process's own) are published: framework meters carry labels we do not vet.</summary>
    public static CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    private static readonly MetricFactory Factory = Metrics.WithCustomRegistry(Registry);

    private static readonly Counter Webhooks = Factory.CreateCounter("signalcraft_webhooks_received_total",
        "Webhooks received, by source type and outcome (accepted, duplicate, or the rejection reason).", "source", "outcome");

    private static readonly Counter Notifications = Factory.CreateCounter("signalcraft_notifications_total",
        "Notification attempts, by outcome (sent, failed), failure category and kind (opened, update, escalation, ...).",
        "outcome", "category", "kind");

    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private static readonly Histogram FirstPostLatency = Factory.CreateHistogram("signalcraft_delivery_first_post_seconds",
        "From a group opening to its first successful post on a target.", new HistogramConfiguration { Buckets = LatencyBuckets });

    private static readonly Histogram AttemptDuration = Factory.CreateHistogram("signalcraft_delivery_attempt_seconds",
        "How long one delivery attempt took, by outcome.", new HistogramConfiguration { Buckets = LatencyBuckets, LabelNames = ["outcome"] });

    private static readonly Gauge Queued = Factory.CreateGauge("signalcraft_jobs_queued",
        "Jobs in the queue by state, sampled every few seconds.", "state");

    private static readonly Gauge Lag = Factory.CreateGauge("signalcraft_jobs_lag_seconds",
        "Age of the oldest due job that no worker has started yet, sampled every few seconds.");

    static OperatorMetrics()
    {
        DotNetStats.Register(Registry);
    }

    public static void WebhookReceived(string source, string outcome) => Webhooks.WithLabels(source, outcome).Inc();

    public static void NotificationFinished(string kind, bool sent, string? category, TimeSpan took)
    {
        var outcome = sent ? "sent" : "failed";
        Notifications.WithLabels(outcome, category ?? "none", kind).Inc();
        AttemptDuration.WithLabels(outcome).Observe(Math.Max(0, took.TotalSeconds));
    }

    public static void FirstPostDelivered(TimeSpan sinceOpened) => FirstPostLatency.Observe(Math.Max(0, sinceOpened.TotalSeconds));

    internal static void Sampled(long available, long scheduled, long running, long retryable, double lagSeconds)
    {
        Queued.WithLabels("available").Set(available);
        Queued.WithLabels("scheduled").Set(scheduled);
        Queued.WithLabels("running").Set(running);
        Queued.WithLabels("retryable").Set(retryable);
        Lag.Set(lagSeconds);
    }
}
