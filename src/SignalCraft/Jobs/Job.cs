using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SignalCraft.Jobs;

/// <summary>The life of a job, on the pattern of River's states.</summary>
public enum JobState
{
    /// <summary>Due now (enqueued without a future run time).</summary>
    Available,
    /// <summary>Waiting for its run time (a timer: escalation, snooze expiry, coalesced update).</summary>
    Scheduled,
    /// <summary>Claimed by a worker; <see cref="Job.AttemptedBy"/> says which.</summary>
    Running,
    /// <summary>Failed an attempt; due again at <see cref="Job.ScheduledAt"/>.</summary>
    Retryable,
    Completed,
    /// <summary>Gave up: out of attempts, or the handler said the job can never succeed.</summary>
    Discarded,
    /// <summary>Cancelled before it finished (by unique key, or by its handler).</summary>
    Cancelled,
}

/// <summary>One row of the <c>jobs</c> table: a unit of durable, at-least-once work.</summary>
public sealed class Job
{
    public long Id { get; set; }

    /// <summary>The stable kind of <see cref="IJobArgs"/> (never a CLR type name).</summary>
    public required string Kind { get; set; }

    /// <summary>The args record as JSON.</summary>
    public required string Args { get; set; }

    /// <summary>The tenant, for fairness; no foreign key, so jobs outlive nothing and block no delete.</summary>
    public long? WorkspaceId { get; set; }

    public JobState State { get; set; }
    public JobPriority Priority { get; set; }

    /// <summary>When the job is (next) due; the run time, or the retry time after a failed attempt.</summary>
    public DateTime ScheduledAt { get; set; }

    /// <summary>Attempts started so far (incremented by the claim).</summary>
    public int Attempt { get; set; }
    public int MaxAttempts { get; set; }
    public DateTime? AttemptedAt { get; set; }

    /// <summary>The worker process that made the last claim (host name, process id and a random suffix).</summary>
    public string? AttemptedBy { get; set; }

    /// <summary>A JSON array of <see cref="JobError"/>, one per failed attempt; read with <see cref="JobErrors.Parse"/>.</summary>
    public string Errors { get; set; } = "[]";

    public string? UniqueKey { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Set when the job reaches completed, discarded or cancelled.</summary>
    public DateTime? FinalizedAt { get; set; }
}

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    /// <summary>States that a claim may pick up once due.</summary>
    internal const string ClaimableFilter = "state IN ('available', 'scheduled', 'retryable')";

    /// <summary>States that hold a unique key (not finalized).</summary>
    internal const string UnfinishedFilter = "unique_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable')";

    public void Configure(EntityTypeBuilder<Job> builder)
    {
        // snake_case columns because the claim SQL in Jobs/Sql names them directly on both providers.
        builder.ToTable("jobs");
        builder.Property(j => j.Id).HasColumnName("id");
        builder.Property(j => j.Kind).HasColumnName("kind").HasMaxLength(100);
        builder.Property(j => j.Args).HasColumnName("args");
        builder.Property(j => j.WorkspaceId).HasColumnName("workspace_id");
        builder.Property(j => j.State).HasColumnName("state").HasMaxLength(16).HasConversion(JobStateNames.Converter);
        builder.Property(j => j.Priority).HasColumnName("priority");
        builder.Property(j => j.ScheduledAt).HasColumnName("scheduled_at");
        builder.Property(j => j.Attempt).HasColumnName("attempt");
        builder.Property(j => j.MaxAttempts).HasColumnName("max_attempts");
        builder.Property(j => j.AttemptedAt).HasColumnName("attempted_at");
        builder.Property(j => j.AttemptedBy).HasColumnName("attempted_by").HasMaxLength(200);
        builder.Property(j => j.Errors).HasColumnName("errors");
        builder.Property(j => j.UniqueKey).HasColumnName("unique_key").HasMaxLength(400);
        builder.Property(j => j.CreatedAt).HasColumnName("created_at");
        builder.Property(j => j.FinalizedAt).HasColumnName("finalized_at");

        // The claim reads this index in (priority, workspace, due time) order: the per-workspace ranking in the
        // claim SQL is then a walk of the index rather than a sort of the whole backlog.
        builder.HasIndex(j => new { j.Priority, j.WorkspaceId, j.ScheduledAt, j.Id })
            .HasDatabaseName("ix_jobs_claim").HasFilter(ClaimableFilter);
        // The real guard of uniqueness; JobClient's check before insert only makes the common case a quiet no-op.
        builder.HasIndex(j => j.UniqueKey).IsUnique()
            .HasDatabaseName("ux_jobs_unique_key_unfinished").HasFilter(UnfinishedFilter);
        // Stats (count per state, oldest due job) and the rescuer's scan of running jobs by attempted_at.
        builder.HasIndex(j => new { j.State, j.ScheduledAt }).HasDatabaseName("ix_jobs_state_scheduled_at");
        builder.HasIndex(j => j.AttemptedAt).HasDatabaseName("ix_jobs_running_attempted_at").HasFilter("state = 'running'");
        builder.HasIndex(j => j.FinalizedAt).HasDatabaseName("ix_jobs_completed_finalized_at").HasFilter("state = 'completed'");
    }
}

/// <summary>States are stored as lowercase words so that SQL and a person reading the table see the same names.</summary>
internal static class JobStateNames
{
    public static string ToName(JobState state) => state switch
    {
        JobState.Available => "available",
        JobState.Scheduled => "scheduled",
        JobState.Running => "running",
        JobState.Retryable => "retryable",
        JobState.Completed => "completed",
        JobState.Discarded => "discarded",
        JobState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static JobState Parse(string name) => Enum.Parse<JobState>(name, ignoreCase: true);

    public static readonly ValueConverter<JobState, string> Converter = new(s => ToName(s), n => Parse(n));
}
