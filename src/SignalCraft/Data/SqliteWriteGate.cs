namespace SignalCraft.Data;

/// <summary>
/// One writer at a time for SQLite's hot write paths (webhook ingest). SQLite allows a single writer anyway; waiting
/// here hands the lock over at once and in arrival order, where SQLite's busy handler would have writers sleep and
/// poll, which stretches latency under a burst. A no-op on PostgreSQL, which has row locks.
/// </summary>
public sealed class SqliteWriteGate(DatabaseInfo database)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async ValueTask<IDisposable?> EnterAsync(CancellationToken ct)
    {
        if (database.IsPostgres)
        {
            return null;
        }
        await _gate.WaitAsync(ct);
        return new Release(_gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
