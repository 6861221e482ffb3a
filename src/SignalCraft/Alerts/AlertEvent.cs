using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Integrations;

namespace SignalCraft.Alerts;

/// <summary>One accepted webhook as a <see cref="NormalizedAlert"/>, with its raw payload (admins only).</summary>
public sealed class AlertEvent : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public long IntegrationId { get; set; }
    public long? GroupId { get; set; }
    public required string Source { get; set; }
    public required string Kind { get; set; }
    public required string Action { get; set; }
    public required string SourceEventId { get; set; }
    public string? Identity { get; set; }
    public string? Project { get; set; }
    public string? Environment { get; set; }
    public Severity? Severity { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }

    /// <summary>JSON array of <c>{key, value}</c>.</summary>
    public required string Tags { get; set; }

    public DateTime OccurredAt { get; set; }
    public DateTime ReceivedAt { get; set; }
    public string? Link { get; set; }
    public string? RuleName { get; set; }
    public string? Actor { get; set; }

    /// <summary>The body exactly as received (UTF-8 JSON); null once retention pruned it.</summary>
    public string? RawPayload { get; set; }
}

internal sealed class AlertEventConfiguration : IEntityTypeConfiguration<AlertEvent>
{
    public void Configure(EntityTypeBuilder<AlertEvent> builder)
    {
        builder.ToTable("alert_events");
        builder.Property(e => e.Source).HasMaxLength(32);
        builder.Property(e => e.Kind).HasMaxLength(32);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.SourceEventId).HasMaxLength(128);
        builder.Property(e => e.Identity).HasMaxLength(200);
        builder.Property(e => e.Title).HasMaxLength(1000);
        builder.Property(e => e.Severity).HasConversion<int?>();
        // Idempotency: the same event from the same integration is stored once, also when requests race.
        builder.HasIndex(e => new { e.IntegrationId, e.SourceEventId }).IsUnique();
        builder.HasIndex(e => new { e.GroupId, e.ReceivedAt });
        // Covers the overview and outcome figures (events and distinct groups per source and project over a range):
        // they read the index alone instead of a million table rows (bench/scale).
        builder.HasIndex(e => new { e.WorkspaceId, e.ReceivedAt, e.GroupId, e.Source, e.Project })
            .HasDatabaseName("ix_alert_events_workspace_received_covering");
        builder.HasOne<Integration>().WithMany().HasForeignKey(e => e.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasQueryFilter(SyntheticSources.CanaryFilter, e => e.Source != SyntheticSources.Canary);
        builder.WithSnakeCaseColumns();
    }
}
