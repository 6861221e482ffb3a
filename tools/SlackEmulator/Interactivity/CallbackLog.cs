namespace SlackEmulator.Interactivity;

/// <summary>One interactivity callback the emulator sent to the app, and how the app answered.</summary>
internal sealed record CallbackRecord(
    long Seq,
    DateTimeOffset Time,
    string TeamId,
    string ChannelId,
    string MessageTs,
    string ActionId,
    string UserId,
    string RequestUrl,
    int? Status,
    string? Error,
    double LatencyMs,
    string Timestamp,
    string Signature,
    string Body,
    string? ResponseBody)
{
    /// <summary>Slack shows the user an error when the app takes longer than 3 seconds to answer.</summary>
    public bool Slow => LatencyMs > 3000;
}

/// <summary>The last callbacks sent (bounded), newest last.</summary>
internal sealed class CallbackLog
{
    private const int Capacity = 2000;
    private readonly Lock _gate = new();
    private readonly LinkedList<CallbackRecord> _records = new();
    private long _seq;

    public long NextSeq() => Interlocked.Increment(ref _seq);

    public void Add(CallbackRecord record)
    {
        lock (_gate)
        {
            _records.AddLast(record);
            if (_records.Count > Capacity)
            {
                _records.RemoveFirst();
            }
        }
    }

    public IReadOnlyList<CallbackRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _records];
        }
    }

    public CallbackRecord? LastFor(string teamId, string channelId)
    {
        lock (_gate)
        {
            return _records.LastOrDefault(r => r.TeamId == teamId && r.ChannelId == channelId);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _records.Clear();
        }
    }
}
