using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Integrations.Slack;

/// <summary>
/// A pending "connect Slack": the OAuth <c>state</c> is the credential of the callback, so only its SHA-256 is stored,
/// bound to the workspace and user that started it, single use and valid for 10 minutes.
/// </summary>
public sealed class SlackOAuthState : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public required string UserId { get; set; }
    public required string StateHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}

internal sealed class SlackOAuthStateConfiguration : IEntityTypeConfiguration<SlackOAuthState>
{
    public void Configure(EntityTypeBuilder<SlackOAuthState> builder)
    {
        builder.ToTable("slack_oauth_states");
        builder.Property(s => s.UserId).HasMaxLength(64);
        builder.Property(s => s.StateHash).HasMaxLength(64);
        builder.HasIndex(s => s.StateHash).IsUnique();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.WithSnakeCaseColumns();
    }
}
