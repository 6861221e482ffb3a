using Microsoft.EntityFrameworkCore;

namespace SignalCraft.Data;

/// <summary>
/// Keeps PostgreSQL ingest from starving itself when opening a connection is slower than the webhook's accept budget
/// (a loaded machine, a slow network hop). A webhook that gives up within its budget cancels the connection it was
/// opening, so the pool is no fuller for the next one, and the next one gives up the same way: ingest answers 503
/// long after the database is fine (found by the fault drills). Each give-up here keeps
/// <see cref="MaxConcurrent"/> background opens under way, each with a budget of its own; when it finishes, the connection
/// goes back to the pool idle and the next webhook finds it there. Npgsql has no setting for this: a minimum pool
/// size neither fills the pool ahead of demand nor survives cancelled opens. A no-op on SQLite.
/// </summary>
public sealed class PostgresPoolRefill(DatabaseInfo database, IServiceScopeFactory scopes, ILogger<PostgresPoolRefill> logger)
{
    internal const int MaxConcurrent = 4;
    private static readonly TimeSpan OpenBudget = TimeSpan.FromSeconds(15);
    private int _running;

    /// <summary>
    /// Tops the background opens up to <see cref="MaxConcurrent"/>. All of them, not one per give-up: near the end of a
    /// recovery only a few webhooks still give up, and one open each made the last connections trickle in (tests).
    /// An idle extra costs little; Npgsql closes it after its idle lifetime.
    /// </summary>
    public void Kick()
    {
        if (!database.IsPostgres)
        {
            return;
        }
        while (Interlocked.Increment(ref _running) <= MaxConcurrent)
        {
            _ = Task.Run(OpenOneAsync);
        }
        Interlocked.Decrement(ref _running);
    }

    private async Task OpenOneAsync()
    {
        try
        {
            // Through EF's own context, so the connection lands in the pool ingest uses.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>();
            using var budget = new CancellationTokenSource(OpenBudget);
            await db.Database.OpenConnectionAsync(budget.Token);
            await db.Database.CloseConnectionAsync();
        }
        catch (Exception ex)
        {
            // The database really is away: the webhooks already say so with their 503s.
            logger.LogDebug("A background PostgreSQL connection open failed ({Error}).", ex.GetType().Name);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
