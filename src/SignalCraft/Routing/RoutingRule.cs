using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Routing;

/// <summary>
/// A stored rule. Conditions and actions are JSON in the API's shape, except that targets are stored by
/// <c>targetId</c> only: a webhook URL lives encrypted on its <see cref="Notify.NotificationTarget"/>, never in rule JSON.
/// </summary>
public sealed class RoutingRule : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public required string Name { get; set; }
    public bool Enabled { get; set; } = true;
    public bool Continue { get; set; }
    public int Position { get; set; }
    public required string ConditionsJson { get; set; }
    public required string ActionsJson { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class RoutingRuleConfiguration : IEntityTypeConfiguration<RoutingRule>
{
    public void Configure(EntityTypeBuilder<RoutingRule> builder)
    {
        builder.ToTable("routing_rules");
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.HasIndex(r => new { r.WorkspaceId, r.Position });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.WithSnakeCaseColumns();
    }
}
