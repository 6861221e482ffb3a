using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Integrations;
using SignalCraft.Jobs;

namespace SignalCraft.Timers;

/// <summary>
/// Prunes what retention allows, in bounded batches (one short transaction each), keeping groups and timelines, then
/// arms the next hour's run.
/// </summary>
public sealed class RetentionHandler(SignalCraftDbContext db, JobStore jobStore, JobClient jobs, IOptions<TimersOptions> options)
    : IJobHandler<RunRetention>
{
    private const int MaxBatchesPerKind = 200;

    public async Task<JobResult> HandleAsync(JobContext<RunRetention> context, CancellationToken ct)
    {
        var (o, now) = (options.Value, context.Now);
        await RepeatAsync(() => jobStore.PruneCompletedAsync(o.CompletedJobRetention, o.RetentionBatchSize, ct), o.RetentionBatchSize);

        var quarantineCutoff = now - o.QuarantineRetention;
        await RepeatAsync(() => db.Set<QuarantinedBody>().IgnoreQueryFilters().Where(q => q.ReceivedAt < quarantineCutoff)
            .OrderBy(q => q.Id).Take(o.RetentionBatchSize).ExecuteDeleteAsync(ct), o.RetentionBatchSize);

        var rawCutoff = now - o.RawPayloadRetention;
        await RepeatAsync(() => db.Set<AlertEvent>().IgnoreQueryFilters().Where(e => e.ReceivedAt < rawCutoff && e.RawPayload != null)
            .OrderBy(e => e.Id).Take(o.RetentionBatchSize).ExecuteUpdateAsync(s => s.SetProperty(e => e.RawPayload, (string?)null), ct),
            o.RetentionBatchSize);

        var eventCutoff = now - o.EventRetention;
        await RepeatAsync(() => db.Set<AlertEvent>().IgnoreQueryFilters().Where(e => e.ReceivedAt < eventCutoff)
            .OrderBy(e => e.Id).Take(o.RetentionBatchSize).ExecuteDeleteAsync(ct), o.RetentionBatchSize);
        // The hourly counts go with the events they count, so no figure outlives its events.
        await db.Set<Health.EventHourCount>().IgnoreQueryFilters().Where(c => c.HourStart < eventCutoff).ExecuteDeleteAsync(ct);
        // A canary is proof that delivery worked then, not history: its record goes with the events of its time.
        await RepeatAsync(() => db.Set<Health.Canary.CanaryRun>().IgnoreQueryFilters().Where(r => r.EnqueuedAt < eventCutoff)
            .OrderBy(r => r.Id).Take(o.RetentionBatchSize).ExecuteDeleteAsync(ct), o.RetentionBatchSize);

        await ScheduleNextAsync(jobs, now, ct);
        await db.SaveChangesAsync(ct);
        return JobResult.Success;
    }

    /// <summary>Arms the run of the next hour (a no-op when it is already armed).</summary>
    public static async Task ScheduleNextAsync(JobClient jobs, DateTime now, CancellationToken ct)
    {
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(1);
        var next = new RunRetention(hour);
        await jobs.EnqueueAsync(next, new EnqueueOptions { Priority = JobPriority.Low, RunAt = hour, UniqueKey = next.UniqueKey }, ct);
    }

    private static async Task RepeatAsync(Func<Task<int>> batch, int size)
    {
        for (var i = 0; i < MaxBatchesPerKind && await batch() >= size; i++)
        {
        }
    }
}

/// <summary>Arms retention at start-up (idempotent: the hour's unique key makes a second instance's arming a no-op).</summary>
internal sealed class RetentionBootstrap(IServiceScopeFactory scopes, TimeProvider time, IOptions<TimersOptions> options,
    ILogger<RetentionBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.ArmRetentionOnStart)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var jobs = scope.ServiceProvider.GetRequiredService<JobClient>();
            await RetentionHandler.ScheduleNextAsync(jobs, time.GetUtcNow().UtcDateTime, cancellationToken);
            await scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>().SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DuplicateJobException or DbUpdateException)
        {
            logger.LogDebug("Retention already armed by another instance.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
