using Microsoft.Extensions.DependencyInjection.Extensions;
using SignalCraft.Grouping;

namespace SignalCraft.Routing;

internal static class RoutingExtensions
{
    public static IHostApplicationBuilder AddRouting(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddScoped<RuleStore>();
        builder.Services.TryAddScoped<RuleTester>();
        builder.Services.TryAddScoped<MuteStore>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<IGroupChangeObserver, RoutingObserver>());
        return builder;
    }
}
