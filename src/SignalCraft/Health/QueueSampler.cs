using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Jobs;

namespace SignalCraft.Health;

/// <summary>
/// Samples queue depth and lag for <c>/metrics</c> every few seconds, so a scrape never runs a query and a storm of
/// scrapes cannot load the database.
/// </summary>
internal sealed class QueueSampler(IServiceScopeFactory scopes, TimeProvider time, ILogger<QueueSampler> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time on purpose: sampling is housekeeping, not a business timer a test needs to move.
        using var timer = new PeriodicTimer(Interval, TimeProvider.System);
        try
        {
            // The first sample waits one interval: start-up is busy enough (migrations, the key ring, listeners).
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SampleAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    internal async Task SampleAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>();
            var now = time.GetUtcNow().UtcDateTime;
            var states = await db.Set<Job>().AsNoTracking()
                .Where(j => j.State == JobState.Available || j.State == JobState.Scheduled || j.State == JobState.Running || j.State == JobState.Retryable)
                .GroupBy(j => j.State).Select(g => new { State = g.Key, Count = g.LongCount() }).ToListAsync(ct);
            var oldestDue = await db.Set<Job>().AsNoTracking()
                .Where(j => (j.State == JobState.Available || j.State == JobState.Retryable || j.State == JobState.Scheduled) && j.ScheduledAt <= now)
                .MinAsync(j => (DateTime?)j.ScheduledAt, ct);
            long Of(JobState s) => states.FirstOrDefault(x => x.State == s)?.Count ?? 0;
            OperatorMetrics.Sampled(Of(JobState.Available), Of(JobState.Scheduled), Of(JobState.Running), Of(JobState.Retryable),
                oldestDue is { } due ? Math.Max(0, (now - due).TotalSeconds) : 0);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database being away is Delivery Health's and /readyz's news; the gauges keep their last sample.
            logger.LogDebug(ex, "Queue sample failed.");
        }
    }
}
