using Microsoft.Extensions.DependencyInjection.Extensions;
using SignalCraft.Grouping;
using SignalCraft.Jobs;

namespace SignalCraft.Timers;

internal static class TimersExtensions
{
    public static IHostApplicationBuilder AddTimers(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TimersOptions>().BindConfiguration(TimersOptions.SectionName);
        services.TryAddScoped<TimerScheduler>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IGroupChangeObserver, TimersObserver>());
        services.AddJobHandler<EscalateGroup, EscalationHandler>();
        services.AddJobHandler<EndSnooze, EndSnoozeHandler>();
        services.AddJobHandler<CloseQuietGroup, CloseQuietGroupHandler>();
        services.AddJobHandler<RunRetention, RetentionHandler>();
        services.AddHostedService<RetentionBootstrap>();
        return builder;
    }
}
