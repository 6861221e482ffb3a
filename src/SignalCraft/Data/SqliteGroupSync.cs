using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace SignalCraft.Data;

/// <summary>
/// Group commit for SQLite's hot write path (webhook ingest). With <c>synchronous=FULL</c> every commit waits for its
/// own fsync of the WAL file, and ingest writers wait for each other, so under concurrency the disk's fsync latency
/// caps throughput. Here the ingest transaction commits with <c>synchronous=NORMAL</c> (frames written to the WAL, no
/// fsync), the writer lock is released, and then the caller waits for one fsync of the WAL file that started after its
/// commit: concurrent webhooks share one fsync, and each is still answered only after its own rows are on disk.
/// An fsync of the WAL covers every frame written before it, the commit frame included; a later checkpoint syncs the
/// WAL first. Applies only when the configured level is FULL or EXTRA (NORMAL and OFF already accept that risk).
/// </summary>
public sealed class SqliteGroupSync(DatabaseInfo database, IOptions<DatabaseOptions> options, ILogger<SqliteGroupSync> logger)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _waiting;
    private bool _syncing;
    private string? _walPath;

    public bool Applies => !database.IsPostgres && options.Value.SqliteSynchronous.ToUpperInvariant() is "FULL" or "EXTRA" or "2" or "3";

    /// <summary>Sets <c>synchronous=NORMAL</c> on the connection for the coming transaction, and learns the WAL path.</summary>
    public async Task RelaxAsync(DbConnection connection, CancellationToken ct)
    {
        _walPath ??= connection is SqliteConnection { DataSource: { Length: > 0 } file } && file != ":memory:" ? file + "-wal" : null;
        await ExecuteAsync(connection, "PRAGMA synchronous=NORMAL;", ct);
    }

    /// <summary>
    /// Puts the connection back to the configured level before it returns to the pool; a connection that cannot be
    /// put back is dropped from the pool, so no other writer inherits the relaxed level.
    /// </summary>
    public async Task RestoreAsync(DbConnection connection)
    {
        try
        {
            await ExecuteAsync(connection, $"PRAGMA synchronous={options.Value.SqliteSynchronous};", CancellationToken.None);
        }
        catch (Exception ex) when (connection is SqliteConnection sqlite && ex is SqliteException or InvalidOperationException)
        {
            logger.LogWarning("A SQLite connection could not be set back to synchronous={Level}; it is dropped from the pool ({Error}).",
                options.Value.SqliteSynchronous, ex.GetType().Name);
            SqliteConnection.ClearPool(sqlite);
        }
    }

    /// <summary>Completes once an fsync of the WAL that started after this call has finished.</summary>
    public Task SyncAsync()
    {
        lock (_gate)
        {
            _waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var mine = _waiting.Task;
            if (!_syncing)
            {
                _syncing = true;
                _ = Task.Run(SyncLoop);
            }
            return mine;
        }
    }

    private void SyncLoop()
    {
        while (true)
        {
            TaskCompletionSource batch;
            lock (_gate)
            {
                if (_waiting is null)
                {
                    _syncing = false;
                    return;
                }
                // Everyone waiting committed before this point, so the fsync below covers their frames.
                batch = _waiting;
                _waiting = null;
            }
            try
            {
                FlushWal();
                batch.SetResult();
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "fsync of the SQLite WAL failed");
                batch.SetException(ex);
            }
        }
    }

    private void FlushWal()
    {
        if (_walPath is null)
        {
            return;
        }
        try
        {
            // Read-only and without locks of its own: SQLite's locks live on the database and -shm files.
            using var handle = File.OpenHandle(_walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(handle);
        }
        catch (FileNotFoundException)
        {
            // No WAL: the last connection closed after a full checkpoint, which synced everything into the database.
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
