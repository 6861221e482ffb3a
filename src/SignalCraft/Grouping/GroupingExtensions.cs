using Microsoft.Extensions.DependencyInjection.Extensions;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Grouping;

internal static class GroupingExtensions
{
    public static IHostApplicationBuilder AddGrouping(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddScoped<GroupingService>();
        builder.Services.TryAddScoped<MemberDirectory>();
        builder.Services.TryAddScoped<IMemberDirectory>(sp => sp.GetRequiredService<MemberDirectory>());
        builder.Services.TryAddScoped<IGroupingSettingsProvider, WorkspaceGroupingSettings>();
        return builder;
    }
}

/// <summary>Grouping settings from the workspace settings (dedup window, environment aliases).</summary>
internal sealed class WorkspaceGroupingSettings(WorkspaceSettingsStore store) : IGroupingSettingsProvider
{
    public async Task<GroupingSettings> GetAsync(SignalCraftDbContext db, long workspaceId, CancellationToken ct)
    {
        var settings = await store.GetAsync(workspaceId, ct);
        return new GroupingSettings(settings.DedupWindow, settings.EnvironmentAliases);
    }
}
