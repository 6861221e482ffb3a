using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Integrations;

/// <summary>
/// An authentic request whose body could not be read. Kept (capped per integration) because Sentry does not resend:
/// an admin can look at it, and a parser fix can replay it.
/// </summary>
public sealed class QuarantinedBody : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public long IntegrationId { get; set; }
    public DateTime ReceivedAt { get; set; }
    public required string Reason { get; set; }
    public string? Resource { get; set; }
    public required byte[] Body { get; set; }
    public int Size { get; set; }
}

internal sealed class QuarantinedBodyConfiguration : IEntityTypeConfiguration<QuarantinedBody>
{
    public void Configure(EntityTypeBuilder<QuarantinedBody> builder)
    {
        builder.ToTable("quarantined_bodies");
        builder.Property(q => q.Reason).HasMaxLength(500);
        builder.Property(q => q.Resource).HasMaxLength(64);
        builder.HasIndex(q => new { q.IntegrationId, q.ReceivedAt });
        builder.HasOne<Integration>().WithMany().HasForeignKey(q => q.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        builder.WithSnakeCaseColumns();
    }
}
