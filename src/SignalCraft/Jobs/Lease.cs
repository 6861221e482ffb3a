using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SignalCraft.Jobs;

/// <summary>
/// A named, expiring lease: the instance that holds <c>jobs.maintenance</c> runs the sweeps (rescue) that must
/// not run everywhere at once. A row with <c>expires_at</c> works on SQLite and PostgreSQL alike, and a dead
/// holder simply stops renewing it.
/// </summary>
public sealed class Lease
{
    public required string Name { get; set; }
    public required string Holder { get; set; }
    public DateTime ExpiresAt { get; set; }
}

internal sealed class LeaseConfiguration : IEntityTypeConfiguration<Lease>
{
    public void Configure(EntityTypeBuilder<Lease> builder)
    {
        builder.ToTable("leases");
        builder.HasKey(l => l.Name);
        builder.Property(l => l.Name).HasColumnName("name").HasMaxLength(100);
        builder.Property(l => l.Holder).HasColumnName("holder").HasMaxLength(200);
        builder.Property(l => l.ExpiresAt).HasColumnName("expires_at");
    }
}
