using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SignalCraft.Accounts;

/// <summary>A tenant: one team's alerts, rules, integrations and members. Every tenant-owned row carries its id.</summary>
public sealed class Workspace
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A row that belongs to one workspace. API requests see only their workspace's rows (a global filter).</summary>
public interface IWorkspaceOwned
{
    long WorkspaceId { get; }
}

/// <summary>The name of the global query filter <c>SignalCraftDbContext</c> puts on every <see cref="IWorkspaceOwned"/> entity.</summary>
public static class WorkspaceFilter
{
    /// <summary>Pass to <c>IgnoreQueryFilters([WorkspaceFilter.Name])</c> for deliberate cross-workspace reads (by explicit id).</summary>
    public const string Name = "workspace";
}

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.ToTable("workspaces");
        builder.Property(w => w.Name).HasMaxLength(200);
    }
}
