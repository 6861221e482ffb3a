using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace SignalCraft.Data;

/// <summary>
/// Applies pending migrations when the host starts (unless <c>Database:MigrateOnStart</c> is false). It runs as
/// the first hosted service, so workers registered after it see a migrated schema.
/// </summary>
internal sealed class DatabaseMigrator(
    IServiceScopeFactory scopes, IOptions<DatabaseOptions> options, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStart)
        {
            return;
        }
        await MigrateAsync(scopes, logger, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Brings the schema up to date; used at start-up and by the <c>migrate</c> command.</summary>
    public static async Task MigrateAsync(IServiceScopeFactory scopes, ILogger logger, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migration(s): {Migrations}", pending.Count, pending);
            await db.Database.MigrateAsync(ct);
            if (db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection)
            {
                // Table rebuilds switch foreign_keys off on the connection they use; pooled native connections keep
                // their pragmas (see SqlitePragmaInterceptor), so start from fresh ones.
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            }
        }
    }
}
