using System.Collections.Concurrent;
using System.Diagnostics;
using SignalCraft.Bench.Storm;

namespace SignalCraft.Bench.Faults;

/// <summary>One request as the load generator saw it: its group, event id, answer (0 = no HTTP answer) and timing.</summary>
public sealed record Sent(long Sequence, int Group, string EventId, int Status, string? Error, TimeSpan StartedAt, double Ms, DateTime SentAtUtc)
{
    public bool Accepted => Status is >= 200 and < 300;
}

/// <summary>
/// Signed Sentry webhooks paced over a planned duration (alert i leaves at i × duration / count) on a fixed number of
/// connections, over a set of groups routed by project to channels. It keeps its own record of every answer: that
/// record, not SignalCraft's, says which alerts were accepted. Bounded by the count and by a time cap.
/// </summary>
public sealed class SignedLoad(SentryBodies bodies, IReadOnlyList<string> channels)
{
    private readonly ConcurrentQueue<Sent> _sent = new();
    private int _acceptedCount;

    /// <summary>The clock every <see cref="Sent.StartedAt"/> is read from (started by the first run).</summary>
    public Stopwatch Clock { get; } = new();

    public IReadOnlyCollection<Sent> Record => _sent;
    public IEnumerable<Sent> Accepted => _sent.Where(s => s.Accepted);

    /// <summary>How many requests got a 2xx so far (cheap to read while the load runs).</summary>
    public int AcceptedCount => Volatile.Read(ref _acceptedCount);

    /// <summary>The channel a group's alerts are routed to (its project names the channel).</summary>
    public string ChannelOf(int group) => channels[group % channels.Count];

    /// <param name="url">Read for every request, so a drill can move the load to another address.</param>
    /// <param name="groupOf">The group of alert i (default: round robin over <paramref name="groups"/>).</param>
    /// <param name="stop">Checked before each request: true ends the run early (e.g. once enough were accepted).</param>
    /// <param name="critical">Which groups are critical (the fatal fixture), e.g. to be paged at the fallback.</param>
    public async Task RunAsync(Func<Uri> url, int count, TimeSpan duration, int groups, int connections, TimeSpan cap,
        Func<long, int>? groupOf = null, long firstSequence = 0, Func<bool>? stop = null, Func<int, bool>? critical = null)
    {
        groupOf ??= i => (int)(i % groups);
        if (!Clock.IsRunning)
        {
            Clock.Start();
        }
        var start = Clock.Elapsed;
        var interval = duration / Math.Max(1, count);
        long next = -1;
        using var client = LoadRunner.Client(connections);
        client.Timeout = TimeSpan.FromSeconds(12);
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            while (Clock.Elapsed - start < cap)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count || stop?.Invoke() == true)
                {
                    break;
                }
                var wait = start + interval * i - Clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait);
                }
                var group = groupOf(i);
                await SendAsync(client, url(), bodies.Build(firstSequence + i, group, ChannelOf(group), critical?.Invoke(group) == true), group);
            }
        })).ToArray();
        await Task.WhenAll(workers);
    }

    /// <summary>Sends one webhook and records the answer.</summary>
    public async Task<Sent> SendAsync(HttpClient client, Uri url, SentryBodies.Webhook webhook, int group)
    {
        using var request = SentryBodies.ToRequest(url, webhook);
        var startedAt = Clock.Elapsed;
        var wall = DateTime.UtcNow;
        var start = Stopwatch.GetTimestamp();
        Sent sent;
        try
        {
            using var response = await client.SendAsync(request);
            sent = new Sent(webhook.Sequence, group, webhook.EventId, (int)response.StatusCode, null, startedAt, Stopwatch.GetElapsedTime(start).TotalMilliseconds, wall);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            sent = new Sent(webhook.Sequence, group, webhook.EventId, 0, ex.GetType().Name, startedAt, Stopwatch.GetElapsedTime(start).TotalMilliseconds, wall);
        }
        _sent.Enqueue(sent);
        if (sent.Accepted)
        {
            Interlocked.Increment(ref _acceptedCount);
        }
        return sent;
    }

    /// <summary>"202×812, 0(HttpRequestException)×31": the answers in a window, for the table.</summary>
    public static string Describe(IEnumerable<Sent> sent) =>
        string.Join(", ", sent.GroupBy(s => s.Status == 0 ? $"no answer ({s.Error})" : s.Status.ToString())
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}")) is { Length: > 0 } text ? text : "none";
}
