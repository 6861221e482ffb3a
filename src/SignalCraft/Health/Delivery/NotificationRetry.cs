using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Jobs;
using SignalCraft.Notify;

namespace SignalCraft.Health.Delivery;

public enum RetryOutcome
{
    Queued,
    NotFound,

    /// <summary>Not discarded (any more): already retried, or never gave up.</summary>
    NotDiscarded,

    /// <summary>Another notification of the same group, target, cycle and reason is already waiting.</summary>
    AlreadyQueued,
}

/// <summary>
/// Takes a discarded notification up again, as River's JobRetry does: the same job row becomes available now with its
/// attempts and errors kept and room for more attempts. Only a discarded row changes (a second Retry finds it no longer
/// discarded), and the send handler is idempotent, so a notification retried twice is still delivered once.
/// </summary>
internal sealed class NotificationRetry(SignalCraftDbContext db, CurrentWorkspace workspace, JobSignal signal, TimeProvider time,
    IOptions<JobsOptions> options)
{
    public static string PathFor(long jobId) => $"/api/notifications/discarded/{jobId}/retry";

    public async Task<RetryOutcome> RetryAsync(long jobId, CancellationToken ct)
    {
        var job = await db.Set<Job>().AsNoTracking()
            .FirstOrDefaultAsync(j => j.Id == jobId && j.WorkspaceId == workspace.WorkspaceId && j.Kind == SendNotification.Kind, ct);
        if (job is null)
        {
            return RetryOutcome.NotFound;
        }
        if (job.State != JobState.Discarded)
        {
            return RetryOutcome.NotDiscarded;
        }
        if (job.UniqueKey is { } key && await db.Set<Job>().AnyAsync(j => j.UniqueKey == key && j.Id != jobId
                && (j.State == JobState.Available || j.State == JobState.Scheduled || j.State == JobState.Running || j.State == JobState.Retryable), ct))
        {
            return RetryOutcome.AlreadyQueued;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var more = options.Value.DefaultMaxAttempts;
        int changed;
        try
        {
            changed = await db.Set<Job>().Where(j => j.Id == jobId && j.State == JobState.Discarded)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.State, JobState.Available)
                    .SetProperty(j => j.ScheduledAt, now)
                    .SetProperty(j => j.FinalizedAt, (DateTime?)null)
                    .SetProperty(j => j.MaxAttempts, j => j.Attempt + more), ct);
        }
        catch (DbException)
        {
            return RetryOutcome.AlreadyQueued; // the unique index: a twin was enqueued between the check and the update
        }
        if (changed == 0)
        {
            return RetryOutcome.NotDiscarded;
        }
        // An update is no insert, so the commit interceptor does not wake anyone: wake this process's worker, and
        // the other instances on PostgreSQL (they would otherwise find it at their next poll).
        signal.Committed.Set();
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_notify('{JobCommitInterceptor.Channel}', '')", ct);
        }
        return RetryOutcome.Queued;
    }
}
