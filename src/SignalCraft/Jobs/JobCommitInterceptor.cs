using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace SignalCraft.Jobs;

/// <summary>
/// Wakes workers when a unit of work that added jobs commits. Local: the process's <see cref="JobSignal"/> is set
/// after the commit (never before: a worker would find nothing and sleep until the next poll). PostgreSQL: a
/// <c>NOTIFY</c> on <see cref="Channel"/> is sent in the caller's transaction, which PostgreSQL delivers at commit
/// and drops on rollback; outside a transaction it is sent right after the auto-committed save. Also turns a
/// unique-key violation into <see cref="DuplicateJobException"/>.
/// </summary>
internal sealed class JobCommitInterceptor(JobSignal signal, ILogger<JobCommitInterceptor> logger)
    : SaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>The PostgreSQL notification channel (per database, so test databases do not hear each other).</summary>
    public const string Channel = "signalcraft_jobs";

    private const string UniqueIndex = "ux_jobs_unique_key_unfinished";

    private sealed class State
    {
        public bool SavingJobs;
        public bool AwaitingCommit;
    }

    private readonly ConditionalWeakTable<DbContext, State> _states = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        AfterSaveAsync(eventData.Context, async: false, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await AfterSaveAsync(eventData.Context, async: true, cancellationToken);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        NotSaved(eventData.Context);
        ThrowIfDuplicate(eventData.Exception);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        NotSaved(eventData.Context);
        ThrowIfDuplicate(eventData.Exception);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<Job>().Any(e => e.State == EntityState.Added))
        {
            _states.GetOrCreateValue(context).SavingJobs = true;
        }
    }

    private async Task AfterSaveAsync(DbContext? context, bool async, CancellationToken ct)
    {
        if (context is null || !_states.TryGetValue(context, out var state) || !state.SavingJobs)
        {
            return;
        }
        state.SavingJobs = false;
        var transaction = context.Database.CurrentTransaction;
        if (context.Database.IsNpgsql())
        {
            await NotifyAsync(context, transaction, async, ct);
        }
        if (transaction is null)
        {
            signal.Committed.Set(); // SaveChanges committed its own transaction
        }
        else
        {
            state.AwaitingCommit = true;
        }
    }

    private async Task NotifyAsync(DbContext context, IDbContextTransaction? transaction, bool async, CancellationToken ct)
    {
        try
        {
            if (transaction is null)
            {
                if (async) { await context.Database.OpenConnectionAsync(ct); } else { context.Database.OpenConnection(); }
            }
            try
            {
                await using var command = context.Database.GetDbConnection().CreateCommand();
                command.CommandText = $"SELECT pg_notify('{Channel}', '')";
                command.Transaction = transaction?.GetDbTransaction();
                if (async) { await command.ExecuteNonQueryAsync(ct); } else { command.ExecuteNonQuery(); }
            }
            finally
            {
                if (transaction is null)
                {
                    if (async) { await context.Database.CloseConnectionAsync(); } else { context.Database.CloseConnection(); }
                }
            }
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // The jobs are saved; other instances find them at their next poll. Failing the caller's save here
            // would make it retry work that is already committed.
            logger.LogWarning(ex, "Could not notify other instances of new jobs; they will find them by polling.");
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _states.TryGetValue(context, out var state) && state.AwaitingCommit)
        {
            state.AwaitingCommit = false;
            signal.Committed.Set();
        }
    }

    // Jobs saved earlier in the same transaction still wake workers if the caller commits anyway.
    private void NotSaved(DbContext? context)
    {
        if (context is not null && _states.TryGetValue(context, out var state))
        {
            state.SavingJobs = false;
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _states.Remove(context);
        }
    }

    private static void ThrowIfDuplicate(Exception exception)
    {
        if (exception is not DbUpdateException update || update is DuplicateJobException)
        {
            return;
        }
        var unique = update.InnerException switch
        {
            PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation && pg.ConstraintName == UniqueIndex,
            // SQLITE_CONSTRAINT_UNIQUE names the columns, not the index: "UNIQUE constraint failed: jobs.unique_key".
            SqliteException lite => lite.SqliteExtendedErrorCode == 2067 && lite.Message.Contains("jobs.unique_key", StringComparison.Ordinal),
            _ => false,
        };
        if (unique)
        {
            var keys = update.Entries.Select(e => e.Entity).OfType<Job>().Select(j => j.UniqueKey).OfType<string>().Distinct().ToList();
            throw new DuplicateJobException(keys, update);
        }
    }
}
