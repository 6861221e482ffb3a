using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Integrations.Slack;

/// <summary>
/// One Slack team installed into a workspace through OAuth. The bot token (and, with token rotation, the refresh
/// token) are stored encrypted; they never leave the server. A workspace may connect several teams, and several
/// workspaces may connect the same team.
/// </summary>
public sealed class SlackConnection : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public required string TeamId { get; set; }
    public string? TeamName { get; set; }
    public string? TeamUrl { get; set; }
    public string? AppId { get; set; }
    public string? BotUserId { get; set; }
    public string? BotId { get; set; }
    public string Scopes { get; set; } = "";

    public required string TokenProtected { get; set; }
    public string? RefreshTokenProtected { get; set; }

    /// <summary>When the (rotating) token expires; null for tokens that never do.</summary>
    public DateTime? TokenExpiresAt { get; set; }

    /// <summary><c>ok</c> or <c>unhealthy</c> (the token stopped working: reconnect).</summary>
    public string Status { get; set; } = SlackConnectionStatus.Ok;
    public string? LastError { get; set; }
    public DateTime? LastErrorAt { get; set; }
    /// <summary>
    /// Set when the workspace's fallback was told that delivery through this connection is failing: the start of that
    /// outage. Cleared when it works again, so each outage is told once.
    /// </summary>
    public DateTime? OutageToldSince { get; set; }

    public string? ConnectedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class SlackConnectionStatus
{
    public const string Ok = "ok";
    public const string Unhealthy = "unhealthy";
}

internal sealed class SlackConnectionConfiguration : IEntityTypeConfiguration<SlackConnection>
{
    public void Configure(EntityTypeBuilder<SlackConnection> builder)
    {
        builder.ToTable("slack_connections");
        builder.Property(c => c.TeamId).HasMaxLength(32);
        builder.Property(c => c.TeamName).HasMaxLength(200);
        builder.Property(c => c.TeamUrl).HasMaxLength(300);
        builder.Property(c => c.AppId).HasMaxLength(32);
        builder.Property(c => c.BotUserId).HasMaxLength(32);
        builder.Property(c => c.BotId).HasMaxLength(32);
        builder.Property(c => c.Scopes).HasMaxLength(1000);
        builder.Property(c => c.Status).HasMaxLength(16);
        builder.Property(c => c.LastError).HasMaxLength(1000);
        builder.HasIndex(c => new { c.WorkspaceId, c.TeamId }).IsUnique();
        builder.HasIndex(c => c.TeamId);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.WithSnakeCaseColumns();
    }
}
