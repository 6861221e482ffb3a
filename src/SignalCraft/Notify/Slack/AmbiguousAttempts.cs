using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;

namespace SignalCraft.Notify.Slack;

/// <summary>
/// What the notification log says about earlier attempts at the same Slack message: whether one may have posted it
/// without knowing (timeout, 5xx, <c>fatal_error</c>, no recorded outcome), and whether one already posted without
/// being able to check. A top-level message is the (group, target)'s one message, so every earlier attempt on that
/// pair counts, whichever job made it (a retry by the admin is a new job); a thread reply's key names its job.
/// </summary>
internal static class AmbiguousAttempts
{
    public const string TopKey = "top";

    /// <summary>When the first and the last earlier attempt with an unknown outcome started, or null when there is none.</summary>
    public static async Task<UnsettledAttempts?> UnsettledAsync(SignalCraftDbContext db, NotifyRequest request, string key, CancellationToken ct)
    {
        var started = await Earlier(db, request, key)
            .Where(l => (l.Status == NotificationStatus.Started && l.FinishedAt == null)
                || (l.Status == NotificationStatus.Failed && l.Error != null && l.Error.StartsWith(SlackTargetNotifier.AmbiguousPrefix)))
            .Select(l => l.StartedAt).ToListAsync(ct);
        return started.Count == 0 ? null : new UnsettledAttempts(started.Min(), started.Max());
    }

    /// <summary>Whether an earlier attempt already posted without the history check (marked possible duplicate).</summary>
    public static Task<bool> PostedUncheckedAsync(SignalCraftDbContext db, NotifyRequest request, string key, CancellationToken ct) =>
        Earlier(db, request, key).AnyAsync(l => l.PossibleDuplicate, ct);

    /// <summary>
    /// Puts this attempt on record as a possible duplicate before it posts, so that a later attempt knows of it even when
    /// this one never learns its outcome (a timeout, a kill).
    /// </summary>
    public static async Task MarkPostingUncheckedAsync(SignalCraftDbContext db, NotifyRequest request, CancellationToken ct)
    {
        if (request.LogId is { } logId)
        {
            await db.Set<NotificationLog>().IgnoreQueryFilters().Where(l => l.Id == logId)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.PossibleDuplicate, true), ct);
        }
    }

    private static IQueryable<NotificationLog> Earlier(SignalCraftDbContext db, NotifyRequest request, string key)
    {
        var (targetId, groupId, jobId, attempt) = (request.Target.Id, request.Group.Id, request.JobId, request.Attempt);
        var rows = db.Set<NotificationLog>().IgnoreQueryFilters().AsNoTracking()
            .Where(l => l.TargetId == targetId && !l.IsFallback && l.Status != NotificationStatus.Held);
        // A reply without a job has no earlier attempts to know of.
        rows = key == TopKey ? rows.Where(l => l.GroupId == groupId) : rows.Where(l => jobId != null && l.JobId == jobId);
        return request.LogId is { } logId
            ? rows.Where(l => l.Id != logId)
            : rows.Where(l => l.JobId != jobId || l.Attempt < attempt);
    }
}

/// <summary>The earlier attempts at a message whose outcome is unknown: when the first and the last of them started.</summary>
public sealed record UnsettledAttempts(DateTime FirstStartedAt, DateTime LastStartedAt);
