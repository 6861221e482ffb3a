using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SignalCraft.Grouping;

internal static class GroupingExtensions
{
    public static IHostApplicationBuilder AddGrouping(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddScoped<GroupingService>();
        builder.Services.TryAddScoped<IMemberDirectory, NoMemberDirectory>();
        builder.Services.TryAddScoped<IGroupingSettingsProvider, DefaultGroupingSettingsProvider>();
        return builder;
    }
}
