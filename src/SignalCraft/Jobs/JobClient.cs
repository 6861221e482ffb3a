using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Data;

namespace SignalCraft.Jobs;

/// <summary>
/// Enqueues jobs into the caller's unit of work: <see cref="EnqueueAsync{TArgs}"/> adds a row to the scoped
/// <see cref="SignalCraftDbContext"/> and the caller's <c>SaveChanges</c> (inside the caller's transaction, if
/// any) commits it together with the change that caused it. Rolled back, the job never existed. After the commit
/// this process's worker is woken at once, and on PostgreSQL every other instance through <c>NOTIFY</c>.
/// </summary>
public sealed class JobClient(SignalCraftDbContext db, TimeProvider time, IOptions<JobsOptions> options)
{
    private static readonly JobState[] Pending = [JobState.Available, JobState.Scheduled, JobState.Retryable];
    private static readonly JobState[] Unfinished = [JobState.Available, JobState.Scheduled, JobState.Running, JobState.Retryable];

    /// <summary>
    /// Adds a job to the current unit of work (saved by the caller's <c>SaveChanges</c>).
    /// With a unique key that an unfinished job already holds (committed, or added earlier in this unit of work),
    /// nothing is added and the result says <see cref="EnqueueResult.AlreadyExists"/>. The check reads committed
    /// rows; two transactions racing with the same key are settled by the partial unique index, and the loser's
    /// <c>SaveChanges</c> throws <see cref="DuplicateJobException"/> (roll back and retry the unit of work: the
    /// retry sees the winner's job and becomes a no-op).
    /// </summary>
    public async Task<EnqueueResult> EnqueueAsync<TArgs>(TArgs args, EnqueueOptions? enqueue = null, CancellationToken ct = default)
        where TArgs : IJobArgs
    {
        ArgumentNullException.ThrowIfNull(args);
        enqueue ??= new EnqueueOptions();
        if (enqueue.MaxAttempts is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(enqueue), enqueue.MaxAttempts, "MaxAttempts must be at least 1.");
        }
        if (enqueue.UniqueKey is { } key)
        {
            var existing = TrackedUnfinished(key).FirstOrDefault()
                ?? await db.Set<Job>().AsNoTracking().FirstOrDefaultAsync(j => j.UniqueKey == key && Unfinished.Contains(j.State), ct);
            if (existing is not null)
            {
                return new EnqueueResult(existing, AlreadyExists: true);
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        var runAt = enqueue.RunAt is { } at ? ToUtc(at) : now;
        var job = new Job
        {
            Kind = TArgs.Kind,
            Args = Hosting.Correlation.Stamp(JsonSerializer.Serialize(args, JobJson.Options)),
            WorkspaceId = enqueue.WorkspaceId,
            State = runAt > now ? JobState.Scheduled : JobState.Available,
            Priority = enqueue.Priority,
            ScheduledAt = runAt,
            MaxAttempts = enqueue.MaxAttempts ?? options.Value.DefaultMaxAttempts,
            UniqueKey = enqueue.UniqueKey,
            CreatedAt = now,
        };
        db.Set<Job>().Add(job);
        return new EnqueueResult(job, AlreadyExists: false);
    }

    /// <summary>Whether an unfinished job (committed, or added in this unit of work) holds <paramref name="uniqueKey"/>.</summary>
    public async Task<bool> HasUnfinishedAsync(string uniqueKey, CancellationToken ct = default) =>
        TrackedUnfinished(uniqueKey).Any()
        || await db.Set<Job>().AsNoTracking().AnyAsync(j => j.UniqueKey == uniqueKey && Unfinished.Contains(j.State), ct);

    /// <summary>
    /// Cancels the job holding <paramref name="uniqueKey"/> if it has not started (available, scheduled or
    /// retryable), e.g. an escalation when the group is acknowledged. Runs at once on the context's connection:
    /// inside the caller's transaction (<c>Database.BeginTransactionAsync</c>) it commits or rolls back with it.
    /// A job already running is left to finish; its handler re-reads the state it acts on. Returns how many jobs
    /// were cancelled (0 or 1).
    /// </summary>
    public async Task<int> CancelByUniqueKeyAsync(string uniqueKey, CancellationToken ct = default)
    {
        var unsaved = TrackedUnfinished(uniqueKey).ToList();
        foreach (var job in unsaved)
        {
            db.Entry(job).State = EntityState.Detached; // never saved: forgetting it is the cancellation
        }
        DateTime? now = time.GetUtcNow().UtcDateTime;
        return unsaved.Count + await db.Set<Job>()
            .Where(j => j.UniqueKey == uniqueKey && Pending.Contains(j.State))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Cancelled).SetProperty(j => j.FinalizedAt, now), ct);
    }

    /// <summary>
    /// Moves the due time of the not-yet-started job holding <paramref name="uniqueKey"/> (a snooze moves its
    /// escalation). Like <see cref="CancelByUniqueKeyAsync"/> it runs at once, inside the caller's transaction if
    /// there is one. Returns how many jobs were moved (0 or 1).
    /// </summary>
    public async Task<int> RescheduleByUniqueKeyAsync(string uniqueKey, DateTime runAt, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var at = ToUtc(runAt);
        var state = at > now ? JobState.Scheduled : JobState.Available;
        var unsaved = TrackedUnfinished(uniqueKey).ToList();
        foreach (var job in unsaved)
        {
            job.ScheduledAt = at;
            job.State = state;
        }
        // A retryable job stays retryable (its attempts so far are kept); the others follow the new due time.
        return unsaved.Count + await db.Set<Job>()
            .Where(j => j.UniqueKey == uniqueKey && Pending.Contains(j.State))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.ScheduledAt, at)
                .SetProperty(j => j.State, j => j.State == JobState.Retryable ? JobState.Retryable : state), ct);
    }

    /// <summary>
    /// Cancels every not-yet-started job whose unique key starts with <paramref name="prefix"/> (all escalation steps
    /// of a group: <c>escalate:{group}:</c>). Runs at once, inside the caller's transaction if there is one.
    /// </summary>
    public async Task<int> CancelByUniqueKeyPrefixAsync(string prefix, CancellationToken ct = default)
    {
        foreach (var entry in db.ChangeTracker.Entries<Job>().Where(e => e.State == EntityState.Added && e.Entity.UniqueKey != null
            && e.Entity.UniqueKey.StartsWith(prefix)).ToList())
        {
            entry.State = EntityState.Detached;
        }
        DateTime? now = time.GetUtcNow().UtcDateTime;
        return await db.Set<Job>()
            .Where(j => j.UniqueKey != null && j.UniqueKey.StartsWith(prefix) && Pending.Contains(j.State))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Cancelled).SetProperty(j => j.FinalizedAt, now), ct);
    }

    /// <summary>
    /// Moves the due time of every not-yet-started job whose unique key starts with <paramref name="prefix"/> by
    /// <paramref name="by"/> (a snooze moves a group's escalation steps by its length).
    /// </summary>
    public async Task<int> ShiftByUniqueKeyPrefixAsync(string prefix, TimeSpan by, CancellationToken ct = default)
    {
        var jobs = await db.Set<Job>().Where(j => j.UniqueKey != null && j.UniqueKey.StartsWith(prefix) && Pending.Contains(j.State)).ToListAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var job in jobs)
        {
            job.ScheduledAt += by;
            if (job.State != JobState.Retryable)
            {
                job.State = job.ScheduledAt > now ? JobState.Scheduled : JobState.Available;
            }
        }
        await db.SaveChangesAsync(ct);
        return jobs.Count;
    }

    /// <summary>The unfinished job holding <paramref name="uniqueKey"/>, if any (e.g. to read its due time).</summary>
    public async Task<Job?> FindByUniqueKeyAsync(string uniqueKey, CancellationToken ct = default) =>
        TrackedUnfinished(uniqueKey).FirstOrDefault()
        ?? await db.Set<Job>().AsNoTracking().FirstOrDefaultAsync(j => j.UniqueKey == uniqueKey && Unfinished.Contains(j.State), ct);

    private IEnumerable<Job> TrackedUnfinished(string uniqueKey) =>
        db.ChangeTracker.Entries<Job>()
            .Where(e => e.State == EntityState.Added && e.Entity.UniqueKey == uniqueKey)
            .Select(e => e.Entity);

    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}

/// <summary>
/// SaveChanges hit the unique index on unfinished jobs: another transaction enqueued a job with the same unique
/// key after this one checked. Nothing of this SaveChanges was saved (inside a caller's transaction EF rolls back
/// to the savepoint it took); retry the unit of work, whose enqueue then sees the other job and is a no-op.
/// </summary>
public sealed class DuplicateJobException(IReadOnlyList<string> uniqueKeys, DbUpdateException inner)
    : DbUpdateException($"A job with unique key {string.Join(", ", uniqueKeys.Select(k => $"'{k}'"))} is already queued; retry the unit of work.",
        inner.InnerException, inner.Entries)
{
    public IReadOnlyList<string> UniqueKeys { get; } = uniqueKeys;
}
