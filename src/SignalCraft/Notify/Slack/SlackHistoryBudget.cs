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
            if (now < team.BlockedUntil)
            {
                // Slack's Retry-After: nobody checks before it ends (a critical learns it from BlockedFor and decides).
                return critical ? null : team.Pace.TryTake(jobId, now, interval, notBefore: team.BlockedUntil);
            }
            if (critical)
            {
                team.Pace.Spend(now, interval);
                return null;
            }
            return team.Pace.TryTake(jobId, now, interval, notBefore: team.BlockedUntil);
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
            if (team.Pace.NextAt < until)
            {
                team.Pace.NextAt = until;
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
        public ReservedPace Pace { get; } = new(SlotGrace);
        public DateTime BlockedUntil { get; set; } = DateTime.MinValue;
    }
}
