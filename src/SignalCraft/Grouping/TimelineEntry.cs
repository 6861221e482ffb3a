using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Grouping;

/// <summary>Something that happened to a group, with who and when: opened, acked, snoozed, a note, a notification …</summary>
public sealed class TimelineEntry : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public long GroupId { get; set; }
    public DateTime At { get; set; }

    /// <summary>A stable kind from <see cref="TimelineKinds"/>.</summary>
    public required string Kind { get; set; }

    public string? ActorUserId { get; set; }

    /// <summary>Who, as shown: a member's name, "Sentry", "SignalCraft", "Dana via Slack".</summary>
    public string? ActorName { get; set; }

    public required string Text { get; set; }
}

/// <summary>Timeline entry kinds (stored; rename nothing).</summary>
public static class TimelineKinds
{
    public const string Opened = "opened";
    public const string Reopened = "reopened";
    public const string Resolved = "resolved";
    public const string Acknowledged = "acknowledged";
    public const string Unacknowledged = "unacknowledged";
    public const string Snoozed = "snoozed";
    public const string Unsnoozed = "unsnoozed";
    public const string Assigned = "assigned";
    public const string Note = "note";
    public const string Severity = "severity";
    public const string Flapping = "flapping";
    public const string IgnoredInSource = "ignored_in_source";
    public const string Environment = "environment";
}

internal sealed class TimelineEntryConfiguration : IEntityTypeConfiguration<TimelineEntry>
{
    public void Configure(EntityTypeBuilder<TimelineEntry> builder)
    {
        builder.ToTable("timeline_entries");
        builder.Property(t => t.Kind).HasMaxLength(32);
        builder.Property(t => t.Text).HasMaxLength(4000);
        builder.HasIndex(t => new { t.GroupId, t.At });
        builder.HasOne<AlertGroup>().WithMany().HasForeignKey(t => t.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.WithSnakeCaseColumns();
    }
}
