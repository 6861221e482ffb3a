using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;

namespace SignalCraft.Data;

/// <summary>
/// The one model of SignalCraft. Each feature folder holds the <see cref="IEntityTypeConfiguration{TEntity}"/>
/// of its own entities; the derived per-provider contexts only anchor migrations.
/// </summary>
public class SignalCraftDbContext(DbContextOptions options)
    : IdentityDbContext<SignalCraftUser>(options), IDataProtectionKeyContext
{
    /// <summary>Data Protection key ring, shared by every instance (each key encrypted with the master key).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(SignalCraftDbContext).Assembly);
    }
}
