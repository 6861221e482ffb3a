using Microsoft.Extensions.Options;

namespace SignalCraft.Jobs;

/// <summary>
/// Leader-only sweeps. Every <c>Jobs:MaintenanceInterval</c> each worker instance tries to take or renew the
/// <c>jobs.maintenance</c> lease (valid for three intervals); the holder rescues orphaned jobs — running longer
/// than <c>Jobs:RescueAfter</c> after their claim because their process died — in bounded batches, one
/// transaction per batch. A dead leader stops renewing and another instance takes over when the lease expires.
/// </summary>
internal sealed class JobMaintenance(
    IServiceScopeFactory scopes, WorkerIdentity identity, TimeProvider time, IOptions<JobsOptions> options,
    ILogger<JobMaintenance> logger) : BackgroundService
{
    internal const string LeaseName = "jobs.maintenance";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Workers == 0)
        {
            return;
        }
        await Task.Yield();
        var leader = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                leader = await SweepAsync(settings, leader, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Job maintenance failed; trying again in {Interval}.", settings.MaintenanceInterval);
            }
            try
            {
                await Task.Delay(settings.MaintenanceInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        if (leader)
        {
            await GiveUpLeaseAsync();
        }
    }

    private async Task<bool> SweepAsync(JobsOptions settings, bool wasLeader, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<JobStore>();
        var now = time.GetUtcNow().UtcDateTime;
        var leader = await store.TryAcquireLeaseAsync(LeaseName, identity.Id, settings.MaintenanceInterval * 3, now, ct);
        if (leader != wasLeader)
        {
            logger.LogInformation(leader ? "{Worker} now runs job maintenance." : "{Worker} no longer runs job maintenance.", identity.Id);
        }
        if (!leader)
        {
            return false;
        }
        var total = 0;
        int rescued;
        do
        {
            rescued = await store.RescueAsync(now, settings.RescueAfter, settings.RescueBatchSize, ct);
            total += rescued;
        }
        while (rescued == settings.RescueBatchSize && !ct.IsCancellationRequested);
        if (total > 0)
        {
            logger.LogWarning("Rescued {Count} job(s) whose worker stopped answering for {RescueAfter}.", total, settings.RescueAfter);
        }
        return true;
    }

    private async Task GiveUpLeaseAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<JobStore>().ReleaseLeaseAsync(LeaseName, identity.Id);
        }
        catch (Exception ex)
        {
            logger.LogInformation(ex, "Could not give up the maintenance lease; it expires by itself.");
        }
    }
}
