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

    /// <summary>
    /// The workspace this unit of work acts in. Set once per API request after membership is checked; every
    /// <see cref="IWorkspaceOwned"/> query is then filtered to it, so an endpoint cannot forget to scope. Null for
    /// system work (ingest by integration key, jobs), which scopes by explicit ids.
    /// </summary>
    public long? CurrentWorkspaceId { get; set; }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every stored instant is UTC; SQLite hands DateTime back as Unspecified, which would serialize without "Z".
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(SignalCraftDbContext).Assembly);
        foreach (var entity in builder.Model.GetEntityTypes().Where(t => typeof(IWorkspaceOwned).IsAssignableFrom(t.ClrType)))
        {
            ApplyWorkspaceFilterMethod.MakeGenericMethod(entity.ClrType).Invoke(this, [builder]);
        }
    }

    private static readonly System.Reflection.MethodInfo ApplyWorkspaceFilterMethod =
        typeof(SignalCraftDbContext).GetMethod(nameof(ApplyWorkspaceFilter),
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;

    // "No workspace" is inlined as a constant, not sent as a parameter: with "@noWorkspace OR workspace_id = @id" the
    // database cannot use the (workspace_id, …) indexes, and SQLite sorted every group of every workspace for an inbox
    // page (bench/scale: 300 ms at 100,000 groups). As a constant, EF drops the branch that does not apply.
    private void ApplyWorkspaceFilter<T>(ModelBuilder builder) where T : class, IWorkspaceOwned =>
        builder.Entity<T>().HasQueryFilter("workspace", e => EF.Constant(CurrentWorkspaceId == null) || e.WorkspaceId == CurrentWorkspaceId);
}
