namespace SignalCraft.Jobs;

/// <summary>
/// The arguments of one kind of job: a record serialized to JSON into the job row. <see cref="Kind"/> is the
/// stable name stored with the row and used to find the handler; a CLR type name is never stored, so a type can be
/// renamed or moved without stranding queued jobs (renaming the kind itself needs a migration of the rows).
/// </summary>
/// <example><c>sealed record SendFirstNotification(long GroupId, long TargetId, int OpenCycle) : IJobArgs
/// { public static string Kind => "send_first_notification"; }</c></example>
public interface IJobArgs
{
    /// <summary>A stable, unique snake_case name, e.g. <c>send_first_notification</c>.</summary>
    static abstract string Kind { get; }
}

/// <summary>Claim order: a lower number is claimed first (as in River). Critical pages go before everything else.</summary>
public enum JobPriority
{
    Critical = 1,
    High = 2,
    Normal = 3,
    Low = 4,
}

/// <summary>How a job is enqueued. Every field is optional.</summary>
public sealed record EnqueueOptions
{
    /// <summary>Claim order; <see cref="JobPriority.Normal"/> by default.</summary>
    public JobPriority Priority { get; init; } = JobPriority.Normal;

    /// <summary>When the job becomes due (UTC); now (from <see cref="TimeProvider"/>) when null.</summary>
    public DateTime? RunAt { get; init; }

    /// <summary>Attempts before the job is discarded; <c>Jobs:DefaultMaxAttempts</c> when null.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>
    /// At most one unfinished job (available, scheduled, running or retryable) holds a given key. Enqueuing a
    /// second one while the first is unfinished is a no-op reported as <see cref="EnqueueResult.AlreadyExists"/>.
    /// Once the first completes, is cancelled or is discarded, the key is free again.
    /// </summary>
    public string? UniqueKey { get; init; }

    /// <summary>The tenant the job works for; workspaces take turns within a priority. Null for system jobs.</summary>
    public long? WorkspaceId { get; init; }
}

/// <summary>The outcome of <see cref="JobClient.EnqueueAsync{TArgs}"/>.</summary>
/// <param name="Job">The added job (its id is set by the caller's SaveChanges) or the existing unfinished one.</param>
/// <param name="AlreadyExists">True when an unfinished job with the same unique key exists and nothing was added.</param>
public sealed record EnqueueResult(Job Job, bool AlreadyExists);
