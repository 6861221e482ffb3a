using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Integrations.Slack;
using SignalCraft.Notify;

namespace SignalCraft.Health.SlackOutage;

/// <summary>A Slack connection whose delivery has been failing since <paramref name="Since"/>, and why, in words.</summary>
public sealed record SlackOutageFacts(DateTime Since, string Reason);

/// <summary>
/// Tells whether delivery through a Slack connection is failing, and since when. Failing means the connection's token is
/// refused (it is marked unhealthy until reconnected) or every delivery through it since the last success failed the
/// way a Slack outage does (5xx, timeouts). A channel problem (not found, not in channel) is that target's, shown on its own, and a
/// rate limit is Slack working as meant, so neither counts. The outage began at the first such failure after the last
/// successful delivery through the connection.
/// </summary>
public sealed class SlackOutages(SignalCraftDbContext db)
{
    private static readonly string[] OutageCategories =
        [nameof(FailureCategory.Auth), nameof(FailureCategory.Transient), nameof(FailureCategory.ServiceUnavailable)];

    // A healthy connection's token works (auth.test marks a refused one unhealthy until a reconnect), so an auth
    // failure on record then belongs to a token that has since been replaced.
    private static readonly string[] HealthyOutageCategories = [nameof(FailureCategory.Transient), nameof(FailureCategory.ServiceUnavailable)];

    public async Task<SlackOutageFacts?> FindAsync(SlackConnection connection, CancellationToken ct)
    {
        var targets = await db.Set<NotificationTarget>().IgnoreQueryFilters()
            .Where(t => t.WorkspaceId == connection.WorkspaceId && t.ConnectionId == connection.Id).Select(t => t.Id).ToListAsync(ct);
        var attempts = db.Set<NotificationLog>().IgnoreQueryFilters().AsNoTracking().Where(l => targets.Contains(l.TargetId));
        var lastSent = targets.Count == 0 ? null
            : await attempts.Where(l => l.Status == NotificationStatus.Sent).MaxAsync(l => (DateTime?)l.StartedAt, ct);
        var categories = connection.Status == SlackConnectionStatus.Unhealthy ? OutageCategories : HealthyOutageCategories;
        var failures = attempts.Where(l => l.Status == NotificationStatus.Failed && categories.Contains(l.Category!));
        if (lastSent is { } sent)
        {
            failures = failures.Where(l => l.StartedAt > sent);
        }
        var first = targets.Count == 0 ? null : await failures.OrderBy(l => l.StartedAt).ThenBy(l => l.Id).FirstOrDefaultAsync(ct);
        var latest = first is null ? null : await failures.OrderByDescending(l => l.StartedAt).ThenByDescending(l => l.Id).FirstAsync(ct);

        if (connection.Status == SlackConnectionStatus.Unhealthy)
        {
            // The refusal is usually noticed by a failed send a moment before auth.test confirms it.
            var marked = connection.LastErrorAt ?? connection.UpdatedAt;
            var since = first is not null && first.StartedAt < marked ? first.StartedAt : marked;
            return new SlackOutageFacts(since, connection.LastError ?? "Slack refused the token: reconnect Slack");
        }
        return first is null || latest is null ? null : new SlackOutageFacts(first.StartedAt, InWords(latest));
    }

    private static string InWords(NotificationLog failure) => failure.Category switch
    {
        nameof(FailureCategory.Auth) => $"Slack refused the token ({failure.Error})",
        nameof(FailureCategory.ServiceUnavailable) => $"Slack is unavailable ({failure.Error})",
        _ => $"sends to Slack fail ({failure.Error})",
    };
}
