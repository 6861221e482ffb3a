using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using SignalCraft.Data;

namespace SignalCraft.Jobs;

/// <summary>
/// PostgreSQL only: one dedicated connection per process that <c>LISTEN</c>s for jobs committed by other instances
/// and wakes this process's worker. It reconnects with backoff when the connection breaks and wakes the worker
/// after each (re)connect, since notifications sent meanwhile are lost; polling covers the gap.
/// </summary>
internal sealed class PostgresJobListener(
    IServiceScopeFactory scopes, DatabaseInfo database, JobSignal signal, IOptions<JobsOptions> options,
    ILogger<PostgresJobListener> logger) : BackgroundService
{
    // Connection-level timings are wall-clock on purpose (network liveness, not queue logic): a test's fake
    // clock must not stop a reconnect.
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);
    private bool _connected;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsPostgres || options.Value.Workers == 0)
        {
            return;
        }
        await Task.Yield();
        string connectionString;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>();
            // Not pooled: this connection is held for the life of the process and never shared.
            connectionString = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString;
        }

        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (_connected)
                {
                    delay = TimeSpan.FromMilliseconds(250); // it worked until now: reconnect quickly
                    _connected = false;
                }
                logger.LogWarning(ex, "The job notification connection failed; reconnecting in {Delay}.", delay);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
                continue;
            }
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        connection.Notification += (_, _) => signal.Committed.Set();
        await using (var listen = new NpgsqlCommand($"LISTEN {JobCommitInterceptor.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }
        _connected = true;
        logger.LogInformation("Listening for job notifications on channel {Channel}.", JobCommitInterceptor.Channel);
        signal.Committed.Set();
        while (!ct.IsCancellationRequested)
        {
            if (!await connection.WaitAsync(Liveness, ct))
            {
                // Quiet for a while: a round trip proves the connection (and so the subscription) is still there.
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteNonQueryAsync(ct);
            }
        }
    }
}
