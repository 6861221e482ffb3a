using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignalCraft.Data;

namespace SignalCraft.Health;

/// <summary>Ready when the database answers and has no pending migration, within a bounded time.</summary>
internal sealed class DatabaseReadyCheck(SignalCraftDbContext db) : IHealthCheck
{
    // A load balancer probe must get an answer quickly even when the database is blackholed (TCP connect hangs).
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(800);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Budget);
        try
        {
            var pending = await db.Database.GetPendingMigrationsAsync(cts.Token).WaitAsync(Budget, cancellationToken);
            return pending.Any()
                ? HealthCheckResult.Unhealthy("Database migrations are pending.")
                : HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Database did not answer in time.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Database unreachable: " + ex.GetType().Name);
        }
    }
}
