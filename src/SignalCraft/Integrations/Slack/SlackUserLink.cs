using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Integrations.Slack;

/// <summary>
/// A SignalCraft user's identity in one Slack team: used to render the <c>assignee</c> and <c>user:</c> mentions and to
/// record button clicks as that user. Made by <c>PUT /api/me/slack-link</c> or by a click whose Slack email matches.
/// </summary>
public sealed class SlackUserLink : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public required string UserId { get; set; }
    public required string TeamId { get; set; }
    public required string SlackUserId { get; set; }
    public string? SlackName { get; set; }

    /// <summary><c>email</c> (looked up by the user's email) or <c>click</c> (linked when they clicked a button).</summary>
    public required string LinkedBy { get; set; }
    public DateTime LinkedAt { get; set; }
}

internal sealed class SlackUserLinkConfiguration : IEntityTypeConfiguration<SlackUserLink>
{
    public void Configure(EntityTypeBuilder<SlackUserLink> builder)
    {
        builder.ToTable("slack_user_links");
        builder.Property(l => l.UserId).HasMaxLength(64);
        builder.Property(l => l.TeamId).HasMaxLength(32);
        builder.Property(l => l.SlackUserId).HasMaxLength(32);
        builder.Property(l => l.SlackName).HasMaxLength(200);
        builder.Property(l => l.LinkedBy).HasMaxLength(16);
        builder.HasIndex(l => new { l.WorkspaceId, l.UserId, l.TeamId }).IsUnique();
        builder.HasIndex(l => new { l.WorkspaceId, l.TeamId, l.SlackUserId });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(l => l.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.WithSnakeCaseColumns();
    }
}
