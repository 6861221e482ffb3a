using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using SignalCraft.Data;
using SignalCraft.Jobs.Sql;

namespace SignalCraft.Jobs;

/// <summary>A job as returned by a claim: the row after it was marked running for this attempt.</summary>
public sealed record ClaimedJob(
    long Id, string Kind, string Args, long? WorkspaceId, JobPriority Priority, DateTime ScheduledAt, int Attempt,
    int MaxAttempts, DateTime AttemptedAt, string AttemptedBy, string Errors, string? UniqueKey, DateTime CreatedAt);

/// <summary>Queue size for Delivery Health and metrics.</summary>
/// <param name="Counts">Jobs per state (every state present, zero when none).</param>
/// <param name="OldestDueAge">How long the oldest due, unclaimed job has waited; null when none is waiting.</param>
public sealed record JobStats(IReadOnlyDictionary<JobState, int> Counts, TimeSpan? OldestDueAge);

/// <summary>
/// The queue's set-based operations: claim, finish an attempt, rescue, prune, stats. Scoped (one DbContext).
/// Every finishing update is guarded by (id, state running, attempt), so a worker whose job was rescued and
/// claimed again elsewhere cannot overwrite the newer attempt's outcome.
/// </summary>
public sealed class JobStore(SignalCraftDbContext db, DatabaseInfo database, TimeProvider time, IOptions<JobsOptions> options,
    SqliteWriteGate writeGate)
{
    private static readonly JobState[] Claimable = [JobState.Available, JobState.Scheduled, JobState.Retryable];
    private static readonly IJobSql PostgresSql = new PostgresJobSql();
    private static readonly IJobSql SqliteSql = new SqliteJobSql();

    private IJobSql Sql => database.IsPostgres ? PostgresSql : SqliteSql;
    private IQueryable<Job> Jobs => db.Set<Job>();

    /// <summary>Marks up to <paramref name="limit"/> due jobs running for <paramref name="attemptedBy"/>, in claim order.</summary>
    public async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(int limit, string attemptedBy, DateTime now, CancellationToken ct = default)
    {
        using var writer = await writeGate.EnterAsync(WriterLane.First, ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = Sql.Claim;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            AddParameter(command, "now", Utc(now));
            AddParameter(command, "limit", limit);
            // Other claimers may hold some of the best rows for a moment; a few spares keep the batch full.
            AddParameter(command, "candidates", limit * 4);
            AddParameter(command, "attempted_by", attemptedBy);
            var claimed = new List<ClaimedJob>(limit);
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    claimed.Add(new ClaimedJob(
                        reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetInt64(3), (JobPriority)reader.GetInt32(4),
                        Utc(reader.GetDateTime(5)), reader.GetInt32(6), reader.GetInt32(7), Utc(reader.GetDateTime(8)),
                        reader.GetString(9), reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11),
                        Utc(reader.GetDateTime(12))));
                }
            }
            // RETURNING does not promise an order; restore the claim order for the caller.
            return claimed.OrderBy(j => j.Priority).ThenBy(j => j.ScheduledAt).ThenBy(j => j.Id).ToList();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The attempt succeeded.</summary>
    public Task<bool> CompleteAsync(ClaimedJob job, DateTime now, CancellationToken ct = default) =>
        Finish(job, JobState.Completed, job.ScheduledAt, now, job.Errors, ct);

    /// <summary>
    /// The attempt failed: retryable at <paramref name="retryAt"/> (the backoff when null), or discarded when it was
    /// the last attempt. The error is appended to the row. Returns the state the job was left in, or null when the
    /// job was no longer this attempt's (rescued meanwhile).
    /// </summary>
    public async Task<JobState?> FailAsync(ClaimedJob job, DateTime now, string error, DateTime? retryAt, CancellationToken ct = default)
    {
        var errors = JobErrors.Append(job.Errors, new JobError(now, job.Attempt, error));
        if (job.Attempt >= job.MaxAttempts)
        {
            return await Finish(job, JobState.Discarded, job.ScheduledAt, now, errors, ct) ? JobState.Discarded : null;
        }
        var at = retryAt ?? JobRetryPolicy.NextRunAt(job.Attempt, now, options.Value.MaxBackoff, Random.Shared);
        return await Finish(job, JobState.Retryable, Utc(at), now, errors, ct) ? JobState.Retryable : null;
    }

    /// <summary>The job can never succeed: discarded now whatever attempts remain; the reason is kept.</summary>
    public Task<bool> DiscardAsync(ClaimedJob job, DateTime now, string reason, CancellationToken ct = default) =>
        Finish(job, JobState.Discarded, job.ScheduledAt, now, JobErrors.Append(job.Errors, new JobError(now, job.Attempt, reason)), ct);

    /// <summary>The handler cancelled its own job (the work is no longer wanted).</summary>
    public Task<bool> CancelAsync(ClaimedJob job, DateTime now, string reason, CancellationToken ct = default) =>
        Finish(job, JobState.Cancelled, job.ScheduledAt, now, JobErrors.Append(job.Errors, new JobError(now, job.Attempt, "cancelled: " + reason)), ct);

    /// <summary>
    /// Gives a claimed job back untried (shutdown): available again with the attempt not counted, so a deploy
    /// never eats into a job's attempts.
    /// </summary>
    public Task<bool> ReleaseAsync(ClaimedJob job, CancellationToken ct = default) =>
        UpdateThisAttemptAsync(job, s => s
            .SetProperty(j => j.State, JobState.Available)
            .SetProperty(j => j.Attempt, j => j.Attempt - 1), ct);

    /// <summary>Due again at <paramref name="at"/>, the attempt not counted (a wait for a budget is no failure).</summary>
    public Task<bool> SnoozeAsync(ClaimedJob job, DateTime at, CancellationToken ct = default)
    {
        var scheduledAt = Utc(at);
        return UpdateThisAttemptAsync(job, s => s
            .SetProperty(j => j.State, JobState.Retryable)
            .SetProperty(j => j.ScheduledAt, scheduledAt)
            .SetProperty(j => j.Attempt, j => j.Attempt - 1), ct);
    }

    private Task<bool> Finish(ClaimedJob job, JobState state, DateTime scheduledAt, DateTime now, string errors, CancellationToken ct)
    {
        DateTime? finalizedAt = state is JobState.Retryable ? null : Utc(now);
        return UpdateThisAttemptAsync(job, s => s
            .SetProperty(j => j.State, state)
            .SetProperty(j => j.ScheduledAt, scheduledAt)
            .SetProperty(j => j.Errors, errors)
            .SetProperty(j => j.FinalizedAt, finalizedAt), ct);
    }

    /// <summary>
    /// Writes an attempt's outcome, only while the row is still this attempt's; on SQLite in the writer gate's first
    /// lane, so outcomes do not starve behind a storm's ingest.
    /// </summary>
    private async Task<bool> UpdateThisAttemptAsync(ClaimedJob job, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Job>> set, CancellationToken ct)
    {
        using var writer = await writeGate.EnterAsync(WriterLane.First, ct);
        return await Jobs.Where(j => j.Id == job.Id && j.State == JobState.Running && j.Attempt == job.Attempt)
            .ExecuteUpdateAsync(set, ct) == 1;
    }

    /// <summary>
    /// Moves up to <paramref name="batchSize"/> jobs still running <paramref name="rescueAfter"/> after their claim
    /// (their process died) to retryable with backoff, or to discarded when out of attempts, in one transaction.
    /// Returns how many were rescued; call again while it returns a full batch.
    /// </summary>
    public async Task<int> RescueAsync(DateTime now, TimeSpan rescueAfter, int batchSize, CancellationToken ct = default)
    {
        var cutoff = Utc(now - rescueAfter);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var stuck = await Jobs.AsNoTracking()
            .Where(j => j.State == JobState.Running && j.AttemptedAt < cutoff)
            .OrderBy(j => j.AttemptedAt).ThenBy(j => j.Id).Take(batchSize)
            .Select(j => new { j.Id, j.Attempt, j.MaxAttempts, j.Errors, j.AttemptedBy, j.AttemptedAt })
            .ToListAsync(ct);
        var rescued = 0;
        foreach (var job in stuck)
        {
            var error = $"rescued: attempt by {job.AttemptedBy} still running after {rescueAfter} (its process presumably died)";
            var errors = JobErrors.Append(job.Errors, new JobError(now, job.Attempt, error));
            var last = job.Attempt >= job.MaxAttempts;
            var state = last ? JobState.Discarded : JobState.Retryable;
            DateTime? finalizedAt = last ? Utc(now) : null;
            var retryAt = Utc(JobRetryPolicy.NextRunAt(job.Attempt, now, options.Value.MaxBackoff, Random.Shared));
            rescued += await Jobs.Where(j => j.Id == job.Id && j.State == JobState.Running && j.Attempt == job.Attempt)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.State, state)
                    .SetProperty(j => j.ScheduledAt, retryAt)
                    .SetProperty(j => j.Errors, errors)
                    .SetProperty(j => j.FinalizedAt, finalizedAt), ct);
        }
        await transaction.CommitAsync(ct);
        return rescued;
    }

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> jobs that completed more than <paramref name="olderThan"/> ago
    /// (retention). Returns how many were deleted; call again while it returns a full batch.
    /// </summary>
    public async Task<int> PruneCompletedAsync(TimeSpan olderThan, int batchSize, CancellationToken ct = default)
    {
        var cutoff = Utc(time.GetUtcNow().UtcDateTime - olderThan);
        return await Jobs.Where(j => j.State == JobState.Completed && j.FinalizedAt < cutoff)
            .OrderBy(j => j.Id).Take(batchSize).ExecuteDeleteAsync(ct);
    }

    /// <summary>Counts per state and the wait of the oldest due job; two index-backed queries.</summary>
    public async Task<JobStats> GetStatsAsync(CancellationToken ct = default)
    {
        var now = Utc(time.GetUtcNow().UtcDateTime);
        var counts = await Jobs.GroupBy(j => j.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(ct);
        var oldest = await Jobs.Where(j => Claimable.Contains(j.State) && j.ScheduledAt <= now)
            .MinAsync(j => (DateTime?)j.ScheduledAt, ct);
        var all = Enum.GetValues<JobState>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.State == s)?.Count ?? 0);
        return new JobStats(all, oldest is { } at ? now - Utc(at) : null);
    }

    /// <summary>Takes or renews a named lease (leader election for sweeps); true while this holder has it.</summary>
    public async Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan ttl, DateTime now, CancellationToken ct = default)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = Sql.AcquireLease;
            AddParameter(command, "name", name);
            AddParameter(command, "holder", holder);
            AddParameter(command, "expires_at", Utc(now + ttl));
            AddParameter(command, "now", Utc(now));
            return await command.ExecuteScalarAsync(ct) is string;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Gives up a lease so that another instance can take over at once (on shutdown).</summary>
    public Task<int> ReleaseLeaseAsync(string name, string holder, CancellationToken ct = default) =>
        db.Set<Lease>().Where(l => l.Name == name && l.Holder == holder).ExecuteDeleteAsync(ct);

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    // SQLite hands back Unspecified; every instant in the queue is UTC.
    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
