using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Alerts;
using SignalCraft.Data;

namespace SignalCraft.Grouping;

/// <summary>
/// An incident: every occurrence with one identity (integration + the source's grouping id) and environment while it
/// is not resolved. At most one non-resolved group exists per (identity, environment key) — a partial unique index.
/// </summary>
public sealed class AlertGroup : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public long IntegrationId { get; set; }
    public required string Source { get; set; }
    public required string Identity { get; set; }
    public string? Environment { get; set; }

    /// <summary>The environment's canonical name, or empty when the payload had none (NULLs are distinct in unique indexes).</summary>
    public required string EnvironmentKey { get; set; }

    public string? Project { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public string? Link { get; set; }
    public string? RuleName { get; set; }

    /// <summary>Effective severity: the manual override when set, else the source's (possibly spike-bumped).</summary>
    public Severity Severity { get; set; }
    public Severity SourceSeverity { get; set; }
    public Severity? ManualSeverity { get; set; }

    public required string Status { get; set; }
    public string? Resolution { get; set; }
    public bool Flapping { get; set; }
    public bool IgnoredInSource { get; set; }
    public bool SourceResolves { get; set; }

    public int Count { get; set; }
    public DateTime FirstSeenAt { get; set; }
    public DateTime LastSeenAt { get; set; }

    /// <summary>Start of the current open cycle; a reopen starts a new one.</summary>
    public DateTime OpenedAt { get; set; }
    public int OpenCycle { get; set; } = 1;
    public DateTime? ResolvedAt { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
    public DateTime? SnoozedUntil { get; set; }
    public string? AssigneeUserId { get; set; }
    public string? AssigneeName { get; set; }

    public int ReopenCount { get; set; }

    /// <summary>No routing rule matched when it was last routed (counted on the overview).</summary>
    public bool Unrouted { get; set; }

    /// <summary>JSON array of recent reopen instants, for flapping detection.</summary>
    public string RecentReopens { get; set; } = "[]";

    public DateTime SpikeWindowStart { get; set; }
    public int SpikeWindowCount { get; set; }
    public bool SpikeBumped { get; set; }

    /// <summary>Bumped on every change, so pages can ask "what changed since".</summary>
    public DateTime UpdatedAt { get; set; }
}

internal sealed class AlertGroupConfiguration : IEntityTypeConfiguration<AlertGroup>
{
    public void Configure(EntityTypeBuilder<AlertGroup> builder)
    {
        builder.ToTable("alert_groups");
        builder.Property(g => g.Source).HasMaxLength(32);
        builder.Property(g => g.Identity).HasMaxLength(200);
        builder.Property(g => g.EnvironmentKey).HasMaxLength(100);
        builder.Property(g => g.Title).HasMaxLength(1000);
        builder.Property(g => g.Status).HasMaxLength(16);
        builder.Property(g => g.Resolution).HasMaxLength(16);
        builder.Property(g => g.Severity).HasConversion<int>();
        builder.Property(g => g.SourceSeverity).HasConversion<int>();
        builder.Property(g => g.ManualSeverity).HasConversion<int?>();
        builder.HasIndex(g => new { g.WorkspaceId, g.IntegrationId, g.Identity, g.EnvironmentKey })
            .IsUnique()
            .HasFilter("status <> 'resolved'")
            .HasDatabaseName("ux_alert_groups_one_open");
        builder.HasIndex(g => new { g.IntegrationId, g.Identity, g.ResolvedAt });
        builder.HasIndex(g => new { g.WorkspaceId, g.LastSeenAt, g.Id });
        builder.HasIndex(g => new { g.WorkspaceId, g.UpdatedAt });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(g => g.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasQueryFilter(Alerts.SyntheticSources.CanaryFilter, g => g.Source != Alerts.SyntheticSources.Canary);
        builder.WithSnakeCaseColumns();
    }
}
