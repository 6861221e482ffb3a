namespace SignalCraft.Notify.Slack;

/// <summary>
/// A paced rate (one call per interval, with an optional burst) where a job that must wait reserves the next free slot
/// and is told exactly that slot, so waiting jobs come back one by one. Told "the next slot" alike, hundreds of
/// waiting jobs woke together, one went and the rest went round the job queue again. A reservation not used within
/// the grace after its slot is dropped; its slot is lost, which only slows the pace a little. Not thread-safe: the
/// owning budget holds its lock. Used per Slack team by <see cref="SlackHistoryBudget"/> and for
/// <c>chat.update</c> by <see cref="SlackSendBudget"/>.
/// </summary>
internal sealed class ReservedPace(TimeSpan grace)
{
    private readonly Dictionary<long, DateTime> _slots = [];

    /// <summary>When the next call goes at the steady pace (the theoretical arrival time of the rate algorithm).</summary>
    public DateTime NextAt { get; set; } = DateTime.MinValue;

    /// <summary>
    /// Null when <paramref name="jobId"/> may call now (its reserved slot came, or a slot is free), else the slot it
    /// holds. <paramref name="burst"/> lets that many intervals' worth of calls go at once after a quiet spell;
    /// nothing goes before <paramref name="notBefore"/> (Slack's Retry-After).
    /// </summary>
    public DateTime? TryTake(long jobId, DateTime now, TimeSpan interval, TimeSpan burst = default, DateTime notBefore = default)
    {
        foreach (var stale in _slots.Where(s => s.Value + grace < now).Select(s => s.Key).ToList())
        {
            _slots.Remove(stale);
        }
        // A slot held from before a Retry-After began is no longer good: the job takes a new one after it.
        if (_slots.Remove(jobId, out var held) && held >= notBefore)
        {
            if (held > now)
            {
                _slots[jobId] = held;
                return held;
            }
            return null;
        }
        var arrival = Max(Max(NextAt, now), notBefore + burst);
        var slot = arrival - burst;
        NextAt = arrival + interval;
        if (slot <= now)
        {
            return null;
        }
        _slots[jobId] = slot;
        return slot;
    }

    /// <summary>Spends the next slot now without queueing (a critical call that goes first).</summary>
    public void Spend(DateTime now, TimeSpan interval) => NextAt = Max(NextAt, now) + interval;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
