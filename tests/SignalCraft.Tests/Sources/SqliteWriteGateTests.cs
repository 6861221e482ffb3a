using SignalCraft.Data;

namespace SignalCraft.Tests.Sources;

/// <summary>
/// The SQLite writer gate: one holder, ingest writers in arrival order, job-queue writes before every waiting ingest
/// writer (a storm must not starve the claims that pages wait on), and a cancelled waiter never holds it.
/// </summary>
public sealed class SqliteWriteGateTests
{
    private static SqliteWriteGate Gate() => new(new DatabaseInfo(DatabaseProvider.Sqlite));

    [Fact]
    public async Task FirstLane_GoesBeforeQueuedIngestWriters_WhichKeepTheirOrder()
    {
        var gate = Gate();
        var order = new List<string>();
        var holder = await gate.EnterAsync(TestContext.Current.CancellationToken);

        async Task Write(string name, WriterLane lane)
        {
            using (await gate.EnterAsync(lane, CancellationToken.None))
            {
                lock (order)
                {
                    order.Add(name);
                }
            }
        }

        var ingest1 = Write("ingest-1", WriterLane.Ingest);
        var ingest2 = Write("ingest-2", WriterLane.Ingest);
        var claim = Write("claim", WriterLane.First);
        Assert.False(ingest1.IsCompleted || ingest2.IsCompleted || claim.IsCompleted); // all wait for the holder
        holder!.Dispose();
        await Task.WhenAll(ingest1, ingest2, claim).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(["claim", "ingest-1", "ingest-2"], order);
    }

    [Fact]
    public async Task CancelledWaiter_IsSkipped_AndTheNextWaiterGetsTheGate()
    {
        var gate = Gate();
        var holder = await gate.EnterAsync(TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.EnterAsync(WriterLane.First, cancel.Token).AsTask();
        var next = gate.EnterAsync(WriterLane.Ingest, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(next.IsCompleted);
        holder!.Dispose();
        var nextHolder = await next.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // Released again, the gate is free for a newcomer at once.
        nextHolder!.Dispose();
        var free = gate.EnterAsync(WriterLane.Ingest, CancellationToken.None);
        Assert.True(free.IsCompleted);
        (await free)!.Dispose();
    }
}
