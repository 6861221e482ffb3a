using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignalCraft.Data;

namespace SignalCraft.Health;

/// <summary>Ready when the database answers and has no pending migration, within a bounded time.</summary>
internal sealed class DatabaseReadyCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    // A load balancer probe must get an answer quickly even when the database is blackholed (TCP connect hangs).
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(800);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // A scope of its own: when the budget runs out the query is still connecting, and disposing its
        // DbContext then would throw ("Can't close, connection is in state Connecting") and turn the answer
        // into a 500. The abandoned query disposes its scope when it ends.
        var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Budget);
        var query = db.Database.GetPendingMigrationsAsync(cts.Token);
        _ = query.ContinueWith(_ => scope.DisposeAsync().AsTask(), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
        try
        {
            var pending = await query.WaitAsync(Budget, cancellationToken);
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
