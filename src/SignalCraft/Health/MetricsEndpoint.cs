using Prometheus;

namespace SignalCraft.Health;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format through prometheus-net: stable (OpenTelemetry's Prometheus exporter is
/// still a beta), served by our package feed, and small. Anonymous like every scrape endpoint: it carries no tenant
/// data; block it at the proxy if the figures themselves are private.
/// </summary>
internal static class MetricsEndpoint
{
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapMetrics("/metrics", OperatorMetrics.Registry);
        return app;
    }
}
