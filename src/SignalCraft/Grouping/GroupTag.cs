using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Grouping;

/// <summary>
/// A tag of a group (from the occurrence that opened or reopened it), indexed so the inbox's <c>tag=key:value</c>
/// filter is a join instead of a scan of event payloads.
/// </summary>
public sealed class GroupTag : IWorkspaceOwned
{
    public long GroupId { get; set; }
    public long WorkspaceId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}

internal sealed class GroupTagConfiguration : IEntityTypeConfiguration<GroupTag>
{
    public void Configure(EntityTypeBuilder<GroupTag> builder)
    {
        builder.ToTable("alert_group_tags");
        builder.HasKey(t => new { t.GroupId, t.Key, t.Value });
        builder.Property(t => t.Key).HasMaxLength(200);
        builder.Property(t => t.Value).HasMaxLength(200);
        builder.HasIndex(t => new { t.WorkspaceId, t.Key, t.Value });
        // The inbox's tag filter probes each candidate group (newest first) and the detail page lists a group's tags.
        builder.HasIndex(t => new { t.GroupId, t.Key, t.Value });
        builder.HasOne<AlertGroup>().WithMany().HasForeignKey(t => t.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.WithSnakeCaseColumns();
    }
}
