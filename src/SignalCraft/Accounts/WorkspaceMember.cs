using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SignalCraft.Accounts;

/// <summary>A user's membership of one workspace. Removing the row removes the user's access at the next request.</summary>
public sealed class WorkspaceMember : IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public required string UserId { get; set; }
    public WorkspaceRole Role { get; set; }
    public DateTime JoinedAt { get; set; }
}

internal sealed class WorkspaceMemberConfiguration : IEntityTypeConfiguration<WorkspaceMember>
{
    public void Configure(EntityTypeBuilder<WorkspaceMember> builder)
    {
        builder.ToTable("workspace_members");
        builder.HasKey(m => new { m.WorkspaceId, m.UserId });
        // The per-request membership check looks a user up by id first.
        builder.HasIndex(m => new { m.UserId, m.WorkspaceId });
        builder.Property(m => m.Role).HasMaxLength(16)
            .HasConversion(r => r.ToName(), s => WorkspaceRoleNames.Parse(s));
        builder.HasOne<Workspace>().WithMany().HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SignalCraftUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
