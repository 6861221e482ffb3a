using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignalCraft.Health.Canary;
using SignalCraft.Health.Delivery;
using SignalCraft.Health.Heartbeats;
using SignalCraft.Health.SlackOutage;

namespace SignalCraft.Health;

internal static class HealthExtensions
{
    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        builder.Services.AddHostedService<QueueSampler>();
        builder.Services.AddDeliveryHealth();
        builder.Services.AddHeartbeats();
        builder.Services.AddSlackOutageNotices();
        builder.Services.AddCanary();
        return builder;
    }

    /// <summary>
    /// <c>/healthz</c>: the process answers. <c>/readyz</c>: the database is reachable and migrated, nothing more —
    /// a Slack outage must never take the webhook receivers out of a load balancer.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = r => r.Tags.Contains("ready") });
        app.MapMetricsEndpoint();
        app.MapOutcomeEndpoints();
        app.MapDeliveryHealthEndpoints();
        return app;
    }
}
