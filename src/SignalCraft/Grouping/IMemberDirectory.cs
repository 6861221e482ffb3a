using SignalCraft.Data;

namespace SignalCraft.Grouping;

/// <summary>A workspace member as grouping needs them: to set the assignee when a source names someone by email.</summary>
public sealed record MemberRef(string UserId, string DisplayName);

/// <summary>Finds a workspace member by email (Accounts implements it).</summary>
public interface IMemberDirectory
{
    Task<MemberRef?> FindByEmailAsync(SignalCraftDbContext db, long workspaceId, string email, CancellationToken ct);
}

/// <summary>Used until Accounts registers its directory: nobody matches.</summary>
internal sealed class NoMemberDirectory : IMemberDirectory
{
    public Task<MemberRef?> FindByEmailAsync(SignalCraftDbContext db, long workspaceId, string email, CancellationToken ct) =>
        Task.FromResult<MemberRef?>(null);
}

/// <summary>Reads a workspace's grouping settings (Accounts' workspace settings implement it).</summary>
public interface IGroupingSettingsProvider
{
    Task<GroupingSettings> GetAsync(SignalCraftDbContext db, long workspaceId, CancellationToken ct);
}

internal sealed class DefaultGroupingSettingsProvider : IGroupingSettingsProvider
{
    public Task<GroupingSettings> GetAsync(SignalCraftDbContext db, long workspaceId, CancellationToken ct) =>
        Task.FromResult(GroupingSettings.Default);
}
