using SignalCraft.Data;

namespace SignalCraft.Grouping;

/// <summary>A workspace member as grouping needs them: to set the assignee when a source names someone by email.</summary>
public sealed record MemberRef(string UserId, string DisplayName);

/// <summary>Finds a workspace member by email (Accounts implements it).</summary>
public interface IMemberDirectory
{
    Task<MemberRef?> FindByEmailAsync(SignalCraftDbContext db, long workspaceId, string email, CancellationToken ct);
}

/// <summary>Reads a workspace's grouping settings (from the workspace settings).</summary>
public interface IGroupingSettingsProvider
{
    Task<GroupingSettings> GetAsync(SignalCraftDbContext db, long workspaceId, CancellationToken ct);
}
