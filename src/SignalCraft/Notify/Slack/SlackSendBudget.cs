using Microsoft.Extensions.Options;

namespace SignalCraft.Notify.Slack;

/// <summary>Who goes first when a channel's budget frees up.</summary>
public enum SendRank
{
    /// <summary>The first post of a critical group.</summary>
    CriticalFirstPost = 0,

    /// <summary>Any other post (first posts, re-notifications, escalations).</summary>
    Post = 1,

    /// <summary>An edit of an existing message.</summary>
    Update = 2,
}

/// <summary>
/// Slack's published limits kept on our side, so we rarely meet a 429: about one post per second per channel, and the
/// <c>chat.update</c> tier per team. A job that finds the budget spent waits as a ranked waiter; when the budget frees
/// up, a better-ranked waiter goes first (a critical first post before every other queued post in its channel, posts
/// before updates). Kept in this process: with several instances each keeps its own, and Slack's 429 with
/// Retry-After remains the backstop.
/// </summary>
public sealed class SlackSendBudget(TimeProvider time, IOptions<SlackOptions> options)
{
    /// <summary>A waiter that has not come back this long after its turn is gone (its job was cancelled or finished).</summary>
    private static readonly TimeSpan WaiterGrace = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ChannelState> _channels = new();
    private readonly Dictionary<string, ReservedPace> _teams = new();

    /// <summary>
    /// Takes a slot for <paramref name="jobId"/>, or answers when to come back. Posts spend the channel's slot;
    /// updates spend the team's update tier and yield to posts waiting in the channel.
    /// </summary>
    public DateTime? TryTake(string teamId, string channel, SendRank rank, long jobId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            var state = Channel(teamId, channel);
            state.Waiters.RemoveWhere(w => w.ComeBackAt + WaiterGrace < now);
            state.Waiters.RemoveWhere(w => w.JobId == jobId);
            var better = state.Waiters.Any(w => w.Rank < rank);
            if (rank == SendRank.Update)
            {
                var wait = better ? Later(state.NextPostAt, now) : TakeUpdate(teamId, now, jobId);
                if (wait is { } at)
                {
                    state.Waiters.Add(new Waiter(jobId, rank, at));
                }
                return wait;
            }
            if (!better && state.NextPostAt <= now)
            {
                state.NextPostAt = now + options.Value.PostInterval;
                return null;
            }
            var comeBack = FirstFreeTurn(state, rank, Later(state.NextPostAt, now));
            state.Waiters.Add(new Waiter(jobId, rank, comeBack));
            return comeBack;
        }
    }

    /// <summary>
    /// Slack answered a post to the channel with 429 and Retry-After: the channel's next post slot moves past it, so every
    /// job waits, not only the one that was refused.
    /// </summary>
    public void Defer(string teamId, string channel, TimeSpan retryAfter)
    {
        var until = time.GetUtcNow().UtcDateTime + retryAfter;
        lock (_gate)
        {
            var state = Channel(teamId, channel);
            if (state.NextPostAt < until)
            {
                state.NextPostAt = until;
            }
        }
    }

    /// <summary>
    /// The team's <c>chat.update</c> tier: a burst of a fifth of a minute's worth, then the steady rate; a waiting update
    /// reserves a slot of its own (see <see cref="ReservedPace"/>).
    /// </summary>
    private DateTime? TakeUpdate(string teamId, DateTime now, long jobId)
    {
        var perMinute = options.Value.UpdatesPerMinute;
        var interval = TimeSpan.FromMinutes(1.0 / perMinute);
        if (!_teams.TryGetValue(teamId, out var pace))
        {
            pace = new ReservedPace(WaiterGrace);
            _teams[teamId] = pace;
        }
        return pace.TryTake(jobId, now, interval, burst: interval * (Math.Max(1, perMinute / 5.0) - 1));
    }

    /// <summary>
    /// The first post slot from <paramref name="from"/> on that no waiter of this rank or better has been told, so
    /// each waiter comes back at a turn of its own. Told the same next slot, a burst of posts to one channel woke
    /// together every second, one posted and the rest were claimed and put back again, a job-queue round trip each.
    /// Worse-ranked waiters' turns do not count: a critical first post comes back at the next slot and goes first.
    /// </summary>
    private DateTime FirstFreeTurn(ChannelState state, SendRank rank, DateTime from)
    {
        var step = options.Value.PostInterval;
        if (step <= TimeSpan.Zero)
        {
            return from;
        }
        // Turns as slot numbers from 'from' on; the first number nobody holds.
        var taken = state.Waiters.Where(w => w.Rank <= rank && w.ComeBackAt > from - step / 2)
            .Select(w => (long)Math.Round((w.ComeBackAt - from) / step)).ToHashSet();
        var turn = 0L;
        while (taken.Contains(turn))
        {
            turn++;
        }
        return from + step * turn;
    }

    /// <summary>The next free slot, or a moment after now when a better waiter holds the free one.</summary>
    private DateTime Later(DateTime nextPostAt, DateTime now) =>
        nextPostAt > now ? nextPostAt : now + (options.Value.PostInterval > TimeSpan.Zero ? options.Value.PostInterval : TimeSpan.FromMilliseconds(100));

    private ChannelState Channel(string teamId, string channel)
    {
        var key = teamId + "/" + channel;
        if (!_channels.TryGetValue(key, out var state))
        {
            state = new ChannelState();
            _channels[key] = state;
        }
        return state;
    }

    private sealed record Waiter(long JobId, SendRank Rank, DateTime ComeBackAt);

    private sealed class ChannelState
    {
        public DateTime NextPostAt { get; set; } = DateTime.MinValue;
        public HashSet<Waiter> Waiters { get; } = [];
    }
}
