using Microsoft.Extensions.Options;

namespace SignalCraft.Notify.Slack;

/// <summary>
/// Paces the history checks of ambiguous posts per team below <c>conversations.history</c>'s tier (Slack: Tier 3, 50 a
/// minute). Without it, a burst of timeouts or <c>fatal_error</c>s made every retry check at once: the checks were
/// answered 429, each failed check was retried a second later, and critical posts went out unchecked (the Slack
/// failures drill: 153 history 429s, 11 critical groups posted 2–4 times). Each waiting job gets its own slot, so the
/// waiters come back one by one instead of all at once. A critical check does not queue (it goes first); after Slack's
/// 429 every check waits for the Retry-After. Kept in this process, like <see cref="SlackSendBudget"/>.
/// </summary>
public sealed class SlackHistoryBudget(TimeProvider time, IOptions<SlackOptions> options)
{
    /// <summary>A slot whose job has not come back this long after it is gone (the job finished another way).</summary>
    private static readonly TimeSpan SlotGrace = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, TeamState> _teams = new();

    /// <summary>Null to check now (the slot is taken), else when <paramref name="jobId"/> should come back for its slot.</summary>
    public DateTime? TryTake(string teamId, bool critical, long jobId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var interval = TimeSpan.FromMinutes(1) / options.Value.HistoryChecksPerMinute;
        lock (_gate)
        {
            var team = Team(teamId);
            foreach (var stale in team.Slots.Where(s => s.Value + SlotGrace < now).Select(s => s.Key).ToList())
            {
                team.Slots.Remove(stale);
            }
            if (now < team.BlockedUntil)
            {
                // Slack's Retry-After: nobody checks before it ends (a critical learns it from BlockedFor and decides).
                return critical ? null : Reserve(team, jobId, interval, now);
            }
            if (critical)
            {
                team.NextAt = (team.NextAt > now ? team.NextAt : now) + interval;
                return null;
            }
            if (team.Slots.TryGetValue(jobId, out var slot))
            {
                if (slot > now)
                {
                    return slot;
                }
                team.Slots.Remove(jobId);
                return null;
            }
            return Reserve(team, jobId, interval, now);
        }
    }

    /// <summary>Slack answered a history check 429: no check of this team before the Retry-After ends.</summary>
    public void Block(string teamId, TimeSpan retryAfter)
    {
        var until = time.GetUtcNow().UtcDateTime + retryAfter;
        lock (_gate)
        {
            var team = Team(teamId);
            if (team.BlockedUntil < until)
            {
                team.BlockedUntil = until;
            }
            if (team.NextAt < until)
            {
                team.NextAt = until;
            }
        }
    }

    /// <summary>When Slack's Retry-After for the team's checks ends (null when it has ended).</summary>
    public DateTime? BlockedUntil(string teamId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            return _teams.TryGetValue(teamId, out var team) && team.BlockedUntil > now ? team.BlockedUntil : null;
        }
    }

    /// <summary>How much longer the team's checks wait for Slack's Retry-After (null when they do not).</summary>
    public TimeSpan? BlockedFor(string teamId) => BlockedUntil(teamId) - time.GetUtcNow().UtcDateTime;

    private static DateTime? Reserve(TeamState team, long jobId, TimeSpan interval, DateTime now)
    {
        var slot = Max(Max(team.NextAt, team.BlockedUntil), now);
        team.NextAt = slot + interval;
        if (slot <= now)
        {
            team.Slots.Remove(jobId);
            return null;
        }
        team.Slots[jobId] = slot;
        return slot;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private TeamState Team(string teamId)
    {
        if (!_teams.TryGetValue(teamId, out var team))
        {
            team = new TeamState();
            _teams[teamId] = team;
        }
        return team;
    }

    private sealed class TeamState
    {
        public DateTime NextAt { get; set; } = DateTime.MinValue;
        public DateTime BlockedUntil { get; set; } = DateTime.MinValue;
        public Dictionary<long, DateTime> Slots { get; } = [];
    }
}
