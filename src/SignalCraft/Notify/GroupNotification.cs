using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Notify;

/// <summary>
/// The one top-level message per (group, target): where it is, when it was posted and last updated. Unique, so a
/// second top-level post for the same pair cannot be recorded.
/// </summary>
public sealed class GroupNotification : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public long GroupId { get; set; }
    public long TargetId { get; set; }
    public long? RuleId { get; set; }
    public string? Mention { get; set; }

    /// <summary>Slack message ts (with the channel it is in), or null for targets without messages (webhooks).</summary>
    public string? MessageRef { get; set; }
    public string? MessageChannel { get; set; }
    public DateTime? FirstSentAt { get; set; }
    public DateTime? LastUpdatedAt { get; set; }
    public int OpenCycle { get; set; }
}

internal sealed class GroupNotificationConfiguration : IEntityTypeConfiguration<GroupNotification>
{
    public void Configure(EntityTypeBuilder<GroupNotification> builder)
    {
        builder.ToTable("group_notifications");
        builder.HasIndex(n => new { n.GroupId, n.TargetId }).IsUnique();
        builder.Property(n => n.MessageRef).HasMaxLength(64);
        builder.Property(n => n.MessageChannel).HasMaxLength(64);
        builder.Property(n => n.Mention).HasMaxLength(200);
        builder.HasIndex(n => new { n.TargetId, n.MessageChannel, n.MessageRef });
        builder.WithSnakeCaseColumns();
    }
}
