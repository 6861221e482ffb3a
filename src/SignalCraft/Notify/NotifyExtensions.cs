using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SignalCraft.Accounts;
using SignalCraft.Jobs;
using SignalCraft.Notify.Webhook;

namespace SignalCraft.Notify;

internal static class NotifyExtensions
{
    public static IHostApplicationBuilder AddNotify(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NotifyOptions>().BindConfiguration(NotifyOptions.SectionName)
            .Validate(o => o.FallbackAfter > TimeSpan.Zero && o.FallbackAfter < TimeSpan.FromSeconds(Accounts.WorkspaceSettings.DefaultDeliverySloSeconds),
                $"Notify:FallbackAfter must be above zero and below the default delivery SLO ({Accounts.WorkspaceSettings.DefaultDeliverySloSeconds} s).")
            .Validate(o => o.SlackDownNoticeAfter >= TimeSpan.FromMinutes(1) && o.SlackDownNoticeAfter <= TimeSpan.FromDays(1),
                "Notify:SlackDownNoticeAfter must be between 1 minute and 1 day (a shorter one would page about every blip).")
            .ValidateOnStart();
        services.TryAddScoped<NotificationScheduler>();
        services.TryAddScoped<TargetRegistry>();
        services.TryAddScoped<NotificationTargetHealth>();
        services.TryAddScoped<Fallback.FallbackScheduler>();
        services.TryAddScoped<ParkedNotifications>();
        services.TryAddScoped<WebhookDelivery>();
        services.TryAddScoped<WebhookNotifier>();
        services.TryAddScoped<IUpdateIntervalProvider, WorkspaceUpdateInterval>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<ITargetNotifier, WebhookTargetNotifier>());
        services.AddHttpClient(WebhookNotifier.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookNotifier.CreateHandler(sp.GetRequiredService<IOptions<NotifyOptions>>().Value.AllowPrivateTargets));
        services.AddJobHandler<SendNotification, SendNotificationHandler>();
        services.AddJobHandler<UpdateGroupMessage, UpdateGroupMessageHandler>();
        services.AddJobHandler<Fallback.SendFallback, Fallback.SendFallbackHandler>();
        return builder;
    }
}

internal sealed class WorkspaceUpdateInterval(WorkspaceSettingsStore store) : IUpdateIntervalProvider
{
    public async Task<TimeSpan> GetAsync(long workspaceId, CancellationToken ct) => (await store.GetAsync(workspaceId, ct)).UpdateInterval;
}
