using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SignalCraft.Accounts;

/// <summary>
/// An invitation to join a workspace with a role. The link carries a random token; only its SHA-256 is stored, so
/// a database reader cannot use pending invites. Single use, and it expires.
/// </summary>
public sealed class WorkspaceInvite : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public required string Email { get; set; }
    public WorkspaceRole Role { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public string? AcceptedByUserId { get; set; }
}

internal sealed class WorkspaceInviteConfiguration : IEntityTypeConfiguration<WorkspaceInvite>
{
    public void Configure(EntityTypeBuilder<WorkspaceInvite> builder)
    {
        builder.ToTable("workspace_invites");
        builder.Property(i => i.Email).HasMaxLength(256);
        builder.Property(i => i.TokenHash).HasMaxLength(64);
        builder.Property(i => i.CreatedBy).HasMaxLength(256);
        builder.Property(i => i.Role).HasMaxLength(16)
            .HasConversion(r => r.ToName(), s => WorkspaceRoleNames.Parse(s));
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => i.WorkspaceId);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
