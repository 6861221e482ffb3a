using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;

namespace SignalCraft.Integrations;

/// <summary>
/// Counts webhook outcomes per integration, reason and minute. Counts are gathered in memory and flushed every
/// second as increments (so several instances add up), instead of updating one hot row inside every webhook
/// transaction, which would serialize all ingestion of an integration on that row. A crash loses at most the last
/// second of counts; the events themselves are already durable.
/// </summary>
public sealed class WebhookCounters(IServiceScopeFactory scopes, TimeProvider time, ILogger<WebhookCounters> logger)
{
    private ConcurrentDictionary<(long IntegrationId, DateTime Minute, string Reason), int> _counts = new();
    private ConcurrentDictionary<long, (DateTime? LastWebhook, DateTime? LastRejection, string? Reason)> _last = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);

    public void Record(long integrationId, string reason, string source = "sentry")
    {
        Health.OperatorMetrics.WebhookReceived(source, reason);
        var now = time.GetUtcNow().UtcDateTime;
        var minute = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        _counts.AddOrUpdate((integrationId, minute, reason), 1, (_, n) => n + 1);
        if (integrationId == 0)
        {
            return;
        }
        var accepted = WebhookReasons.IsAccepted(reason);
        _last.AddOrUpdate(integrationId,
            _ => accepted ? (now, null, null) : (null, now, reason),
            (_, last) => accepted ? (now, last.LastRejection, last.Reason) : (last.LastWebhook, now, reason));
    }

    /// <summary>Writes the gathered counts. Called every second, on shutdown, and before reads that show them.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            var counts = Interlocked.Exchange(ref _counts, new());
            var last = Interlocked.Exchange(ref _last, new());
            if (counts.IsEmpty && last.IsEmpty)
            {
                return;
            }
            try
            {
                await WriteAsync(counts, last, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Put them back: the next flush retries once the database answers again.
                foreach (var (key, n) in counts)
                {
                    _counts.AddOrUpdate(key, n, (_, m) => m + n);
                }
                foreach (var (id, l) in last)
                {
                    _last.TryAdd(id, l);
                }
                logger.LogWarning("Webhook counters not written yet: {Error}", ex.GetType().Name);
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task WriteAsync(
        ConcurrentDictionary<(long IntegrationId, DateTime Minute, string Reason), int> counts,
        ConcurrentDictionary<long, (DateTime? LastWebhook, DateTime? LastRejection, string? Reason)> last,
        CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var ((integrationId, minute, reason), n) in counts)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO webhook_outcomes (integration_id, minute, reason, count) VALUES ({integrationId}, {minute}, {reason}, {n})
                ON CONFLICT (integration_id, minute, reason) DO UPDATE SET count = webhook_outcomes.count + excluded.count
                """, ct);
        }
        foreach (var (integrationId, (lastWebhook, lastRejection, reason)) in last)
        {
            if (lastWebhook is { } at)
            {
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE integrations SET last_webhook_at = {at}
                    WHERE id = {integrationId} AND (last_webhook_at IS NULL OR last_webhook_at < {at})
                    """, ct);
            }
            if (lastRejection is { } rejectedAt)
            {
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE integrations SET last_rejection_at = {rejectedAt}, last_rejection_reason = {reason}
                    WHERE id = {integrationId} AND (last_rejection_at IS NULL OR last_rejection_at <= {rejectedAt})
                    """, ct);
            }
        }
        await tx.CommitAsync(ct);
    }
}

/// <summary>Flushes <see cref="WebhookCounters"/> every second and once more at shutdown.</summary>
internal sealed class WebhookCountersFlusher(WebhookCounters counters) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time on purpose: flushing is housekeeping, not a business timer a test needs to move.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await counters.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await counters.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Shutdown ran out of time: counts of the last second are lost, the events are not.
        }
    }
}
