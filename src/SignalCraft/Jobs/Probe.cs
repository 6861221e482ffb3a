using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Data;

namespace SignalCraft.Jobs;

/// <summary>
/// The built-in <c>probe</c> job: records every execution in <c>job_probe_runs</c>, which is how tests, the canary
/// and benchmarks see what the queue did (which process ran which job, how often, and when).
/// </summary>
/// <param name="DelayMs">How long the attempt takes after it is recorded (so a test can kill a process mid-job).</param>
/// <param name="FailAttempts">Attempts 1..FailAttempts throw after recording, to exercise retries end to end.</param>
public sealed record ProbeJob(int DelayMs = 0, int FailAttempts = 0) : IJobArgs
{
    public static string Kind => "probe";
}

/// <summary>One execution (attempt) of a <see cref="ProbeJob"/>.</summary>
public sealed class JobProbeRun
{
    public long Id { get; set; }
    public long JobId { get; set; }
    public int Attempt { get; set; }
    public required string AttemptedBy { get; set; }
    public int ProcessId { get; set; }
    public DateTime StartedAt { get; set; }
}

internal sealed class JobProbeRunConfiguration : IEntityTypeConfiguration<JobProbeRun>
{
    public void Configure(EntityTypeBuilder<JobProbeRun> builder)
    {
        builder.ToTable("job_probe_runs");
        builder.Property(r => r.Id).HasColumnName("id");
        builder.Property(r => r.JobId).HasColumnName("job_id");
        builder.Property(r => r.Attempt).HasColumnName("attempt");
        builder.Property(r => r.AttemptedBy).HasColumnName("attempted_by").HasMaxLength(200);
        builder.Property(r => r.ProcessId).HasColumnName("process_id");
        builder.Property(r => r.StartedAt).HasColumnName("started_at");
        builder.HasIndex(r => r.JobId).HasDatabaseName("ix_job_probe_runs_job_id");
    }
}

internal sealed class ProbeJobHandler(SignalCraftDbContext db, TimeProvider time) : IJobHandler<ProbeJob>
{
    public async Task<JobResult> HandleAsync(JobContext<ProbeJob> context, CancellationToken ct)
    {
        // Committed before the delay, so an execution cut short by a crash is still on record.
        db.Set<JobProbeRun>().Add(new JobProbeRun
        {
            JobId = context.JobId,
            Attempt = context.Attempt,
            AttemptedBy = context.AttemptedBy,
            ProcessId = Environment.ProcessId,
            StartedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        if (context.Args.DelayMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(context.Args.DelayMs), time, ct);
        }
        if (context.Attempt <= context.Args.FailAttempts)
        {
            throw new InvalidOperationException($"Probe failure requested for attempt {context.Attempt}.");
        }
        return JobResult.Success;
    }
}
