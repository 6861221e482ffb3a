using Microsoft.Extensions.DependencyInjection.Extensions;
using SignalCraft.Jobs;

namespace SignalCraft.Health.Delivery;

internal static class DeliveryHealthExtensions
{
    /// <summary>Delivery Health: its queries, the notification log, Retry, and the scheduled Slack token check.</summary>
    public static IServiceCollection AddDeliveryHealth(this IServiceCollection services)
    {
        services.AddOptions<DeliveryHealthOptions>().BindConfiguration(DeliveryHealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddScoped<DeliveryHealthQueries>();
        services.TryAddScoped<NotificationLogQueries>();
        services.TryAddScoped<NotificationRetry>();
        services.TryAddScoped<SlackTokenChecks>();
        services.AddJobHandler<CheckSlackToken, CheckSlackTokenHandler>();
        services.AddHostedService<SlackTokenCheckBootstrap>();
        return services;
    }
}
