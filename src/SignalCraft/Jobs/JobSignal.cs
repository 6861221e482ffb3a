namespace SignalCraft.Jobs;

/// <summary>
/// A coalescing wake-up: any number of <see cref="Set"/> calls before the waiter looks count as one. Used for
/// "jobs were committed" (local commits, PostgreSQL notifications) and for "a worker slot became free".
/// </summary>
internal sealed class AsyncSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set()
    {
        lock (_gate)
        {
            _current.TrySetResult();
        }
    }

    /// <summary>Completes once the signal is set; does not reset it.</summary>
    public Task WaitAsync()
    {
        lock (_gate)
        {
            return _current.Task;
        }
    }

    /// <summary>Resets the signal; true when it had been set.</summary>
    public bool Consume()
    {
        lock (_gate)
        {
            if (!_current.Task.IsCompleted)
            {
                return false;
            }
            _current = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return true;
        }
    }

    public bool IsSet
    {
        get
        {
            lock (_gate)
            {
                return _current.Task.IsCompleted;
            }
        }
    }
}

/// <summary>The process-wide "new jobs were committed" signal that wakes this process's worker.</summary>
internal sealed class JobSignal
{
    public AsyncSignal Committed { get; } = new();
}
