using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Notify;

/// <summary>
/// One delivery attempt, success or failure, written in its own transaction. A row in state <c>started</c> without
/// an outcome marks an attempt whose result is unknown (the process died mid-send): the next attempt checks before
/// sending again.
/// </summary>
public sealed class NotificationLog : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public long GroupId { get; set; }
    public long TargetId { get; set; }
    public long? JobId { get; set; }

    /// <summary><c>opened</c>, <c>updated</c>, <c>escalated</c>, <c>resolved</c>, <c>renotified</c>, <c>thread</c>.</summary>
    public required string Kind { get; set; }

    public int Attempt { get; set; }

    /// <summary><c>started</c>, <c>sent</c>, <c>failed</c>, <c>held</c>.</summary>
    public required string Status { get; set; }

    public string? Category { get; set; }
    public string? Error { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public bool IsFallback { get; set; }
    public bool PossibleDuplicate { get; set; }

    /// <summary>The posted message's reference (Slack ts) when there is one.</summary>
    public string? MessageRef { get; set; }
}

public static class NotificationStatus
{
    public const string Started = "started";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Held = "held";
}

internal sealed class NotificationLogConfiguration : IEntityTypeConfiguration<NotificationLog>
{
    public void Configure(EntityTypeBuilder<NotificationLog> builder)
    {
        builder.ToTable("notification_log");
        builder.Property(l => l.Kind).HasMaxLength(16);
        builder.Property(l => l.Status).HasMaxLength(16);
        builder.Property(l => l.Category).HasMaxLength(32);
        builder.Property(l => l.Error).HasMaxLength(1000);
        builder.Property(l => l.MessageRef).HasMaxLength(64);
        builder.HasIndex(l => new { l.GroupId, l.TargetId, l.StartedAt });
        builder.HasIndex(l => new { l.WorkspaceId, l.StartedAt });
        builder.HasIndex(l => new { l.TargetId, l.StartedAt });
        builder.WithSnakeCaseColumns();
    }
}
