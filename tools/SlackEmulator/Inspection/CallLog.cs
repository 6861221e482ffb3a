using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SlackEmulator.Inspection;

/// <summary>One Web API call as the control API reports it.</summary>
internal sealed record ApiCallRecord(
    long Seq,
    DateTimeOffset Time,
    string Method,
    string? TeamId,
    string? Channel,
    int HttpStatus,
    bool Ok,
    string Outcome,
    bool Injected,
    string? Warning,
    double DurationMs);

/// <summary>
/// Every Web API and response_url call, newest last. Bounded so a benchmark's thousands of posts
/// cannot grow memory without end; the oldest records go first.
/// </summary>
internal sealed class CallLog(IOptions<EmulatorOptions> options)
{
    private readonly ConcurrentQueue<ApiCallRecord> _records = new();
    private long _seq;

    public long NextSeq() => Interlocked.Increment(ref _seq);

    public void Add(ApiCallRecord record)
    {
        _records.Enqueue(record);
        while (_records.Count > options.Value.MaxCallLogEntries && _records.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<ApiCallRecord> Snapshot() => [.. _records.OrderBy(r => r.Seq)];

    public void Clear() => _records.Clear();
}
