using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Health.Canary;

/// <summary>
/// One canary: a synthetic alert put through ingest, grouping, routing and delivery to the workspace's canary target,
/// and what became of it. <see cref="RoundTripMs"/> is from the alert's ingest to the target's accepted delivery.
/// </summary>
public sealed class CanaryRun : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public long TargetId { get; set; }
    public long? IntegrationId { get; set; }
    public long? GroupId { get; set; }
    public DateTime EnqueuedAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public long? RoundTripMs { get; set; }

    /// <summary><c>pending</c>, <c>delivered</c>, <c>missed</c> or <c>skipped</c> (nothing to run through or to).</summary>
    public string Status { get; set; } = CanaryStatus.Pending;

    /// <summary>Why it was missed or skipped, in words.</summary>
    public string? Detail { get; set; }
}

public static class CanaryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Missed = "missed";
    public const string Skipped = "skipped";
}

internal sealed class CanaryRunConfiguration : IEntityTypeConfiguration<CanaryRun>
{
    public void Configure(EntityTypeBuilder<CanaryRun> builder)
    {
        builder.ToTable("canary_runs");
        builder.Property(r => r.Status).HasMaxLength(16);
        builder.Property(r => r.Detail).HasMaxLength(1000);
        builder.HasIndex(r => new { r.WorkspaceId, r.EnqueuedAt });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.WithSnakeCaseColumns();
    }
}
