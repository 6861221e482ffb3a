namespace SignalCraft.Data;

/// <summary>
/// One writer at a time for SQLite's hot write paths (webhook ingest, and the job queue's claims and outcomes).
/// SQLite allows a single writer anyway; waiting here hands the lock over at once and in arrival order, where SQLite's
/// busy handler would have writers sleep and poll, which stretches latency under a burst. A no-op on PostgreSQL, which
/// has row locks.
/// </summary>
/// <remarks>
/// Two lanes: <see cref="WriterLane.First"/> goes before every <see cref="WriterLane.Ingest"/> waiter. In a storm ingest
/// writers queue back to back, so the lock is never free when a writer outside the gate polls for it; the job
/// queue's claims starved behind them for seconds (the storm benchmark's probe pages waited up to 6.6 s for a claim).
/// Claims and outcomes are short and few, and a page waits on them. SemaphoreSlim has no priority, so the handover is
/// written here.
/// </remarks>
public sealed class SqliteWriteGate(DatabaseInfo database)
{
    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource> _first = new();
    private readonly Queue<TaskCompletionSource> _ingest = new();
    private bool _held;

    public ValueTask<IDisposable?> EnterAsync(CancellationToken ct) => EnterAsync(WriterLane.Ingest, ct);

    public async ValueTask<IDisposable?> EnterAsync(WriterLane lane, CancellationToken ct)
    {
        if (database.IsPostgres)
        {
            return null;
        }
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (!_held)
            {
                _held = true;
                return new Release(this);
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (lane == WriterLane.First ? _first : _ingest).Enqueue(waiter);
        }
        // A cancelled waiter stays queued as a completed task; the handover skips it, so it never holds the lock.
        using (ct.Register(() => waiter.TrySetCanceled(ct)))
        {
            await waiter.Task;
        }
        return new Release(this);
    }

    private void Exit()
    {
        lock (_gate)
        {
            HandOver();
        }
    }

    /// <summary>Gives the held lock to the next live waiter, first lane first; frees it when nobody waits.</summary>
    private void HandOver()
    {
        while (_first.Count > 0 || _ingest.Count > 0)
        {
            var next = _first.Count > 0 ? _first.Dequeue() : _ingest.Dequeue();
            if (next.TrySetResult())
            {
                return;
            }
        }
        _held = false;
    }

    private sealed class Release(SqliteWriteGate owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Exit();
            }
        }
    }
}

/// <summary>Who waits for <see cref="SqliteWriteGate"/> in which queue.</summary>
public enum WriterLane
{
    /// <summary>Short writes that others wait on (job claims and outcomes): before any ingest writer.</summary>
    First,

    /// <summary>Webhook ingest, in arrival order.</summary>
    Ingest,
}
