namespace SignalCraft.Notify.Slack;

/// <summary>
/// The last complete read of each channel's history: which SignalCraft messages (group, target, key → ts) it held since
/// when, read at what time. One read settles every ambiguous attempt in the channel that had ended before it started,
/// so after an outage the backlog's checks cost one read per channel instead of one per notification (the full Slack
/// drill spent four minutes draining 150 checks at the history tier's pace). Kept in this process; a miss only means
/// reading again.
/// </summary>
public sealed class SlackHistorySnapshots(TimeProvider time)
{
    /// <summary>Snapshots older than this are dropped: nothing ambiguous waits that long after a read.</summary>
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Snapshot> _channels = new();

    /// <param name="Oldest">The read covered messages from this time on.</param>
    /// <param name="ReadAt">When the read started: any message stored before then is in it.</param>
    /// <param name="Messages">(group id, target id, key) → ts of every SignalCraft message read.</param>
    public sealed record Snapshot(DateTime Oldest, DateTime ReadAt, IReadOnlyDictionary<(long GroupId, long TargetId, string Key), string> Messages);

    /// <summary>
    /// The channel's snapshot if it covers messages since <paramref name="since"/> and was read after
    /// <paramref name="settledBefore"/> (when every earlier attempt had ended), else null.
    /// </summary>
    public Snapshot? Covering(string teamId, string channel, DateTime since, DateTime settledBefore)
    {
        lock (_gate)
        {
            return _channels.TryGetValue(Key(teamId, channel), out var snapshot) && snapshot.Oldest <= since && snapshot.ReadAt >= settledBefore
                ? snapshot
                : null;
        }
    }

    /// <summary>Keeps a complete read (every page since its oldest), unless a newer one is already kept.</summary>
    public void Keep(string teamId, string channel, Snapshot snapshot)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            foreach (var old in _channels.Where(c => c.Value.ReadAt + KeepFor < now).Select(c => c.Key).ToList())
            {
                _channels.Remove(old);
            }
            var key = Key(teamId, channel);
            if (!_channels.TryGetValue(key, out var kept) || kept.ReadAt <= snapshot.ReadAt)
            {
                _channels[key] = snapshot;
            }
        }
    }

    private static string Key(string teamId, string channel) => teamId + "/" + channel;
}
