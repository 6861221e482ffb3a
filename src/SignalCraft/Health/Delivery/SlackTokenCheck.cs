using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Data;
using SignalCraft.Integrations.Slack;
using SignalCraft.Jobs;
using SignalCraft.Notify.Slack;

namespace SignalCraft.Health.Delivery;

/// <summary>
/// Checks one Slack connection's token with <c>auth.test</c>. The recurring check is one job per connection that lives
/// as long as the connection: after each check it snoozes until the next (a snooze uses up no attempt), so there is
/// never a second chain. After an auth error a one-off check (<paramref name="Recurring"/> false, its own unique key)
/// runs at once.
/// </summary>
public sealed record CheckSlackToken(long ConnectionId, bool Recurring = true) : IJobArgs
{
    public static string Kind => "check_slack_token";

    public static string UniqueKeyFor(long connectionId, bool recurring = true) =>
        recurring ? $"slack-token:{connectionId}" : $"slack-token-now:{connectionId}";
}

/// <summary>
/// A refused token turns the connection unhealthy with the reason, which is what Delivery Health shows. A passing check
/// never clears a refusal: Slack's auth errors mean the install is gone (reference §8), and only a reconnect (a new
/// token) makes the connection healthy again. A check that cannot reach Slack says nothing about the token.
/// </summary>
public sealed class CheckSlackTokenHandler(SlackTokens tokens, SlackApiClient slack, IOptions<DeliveryHealthOptions> options,
    SlackOutage.SlackOutageChecks outageChecks, ILogger<CheckSlackTokenHandler> logger) : IJobHandler<CheckSlackToken>
{
    public async Task<JobResult> HandleAsync(JobContext<CheckSlackToken> context, CancellationToken ct)
    {
        var connection = await tokens.FindAsync(context.Args.ConnectionId, ct);
        if (connection is null)
        {
            return JobResult.Cancel("the Slack connection was removed");
        }
        var next = context.Args.Recurring ? JobResult.Snooze(context.Now + options.Value.TokenCheckInterval) : JobResult.Success;
        var token = await tokens.GetAsync(connection, false, ct);
        if (token is null)
        {
            return next; // a failed refresh already marked the connection with its reason
        }
        var call = await slack.PostJsonAsync("auth.test", token, new { }, ct);
        if (call.Error == "token_expired" && await tokens.GetAsync(connection, true, ct) is { } fresh)
        {
            call = await slack.PostJsonAsync("auth.test", fresh, new { }, ct);
        }
        if (call.Error is { } error && SlackErrorClassifier.AuthErrors.Contains(error))
        {
            await tokens.MarkAsync(connection, SlackConnectionStatus.Unhealthy, $"Slack refused the token ({error}) at auth.test: reconnect Slack", ct);
            await outageChecks.ArmAsync(ct); // the fallback hears of it if the refusal lasts
        }
        else if (!call.Ok)
        {
            logger.LogInformation("Slack token check of connection {ConnectionId} inconclusive: {Outcome}", connection.Id, call.Describe());
        }
        return next;
    }
}

/// <summary>Arms and hurries the per-connection token checks (inside the caller's unit of work).</summary>
public sealed class SlackTokenChecks(JobClient jobs, TimeProvider time, IOptions<DeliveryHealthOptions> options)
{
    /// <summary>A check that ran this recently is not hurried again (a storm of failed sends makes one call, not hundreds).</summary>
    private static readonly TimeSpan Debounce = TimeSpan.FromMinutes(1);

    /// <summary>Makes sure the connection's check job exists (a no-op when it does). Saved by the caller's SaveChanges.</summary>
    public async Task EnsureArmedAsync(SlackConnection connection, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await jobs.EnqueueAsync(new CheckSlackToken(connection.Id), new EnqueueOptions
        {
            Priority = JobPriority.Low,
            RunAt = now + options.Value.TokenCheckInterval,
            UniqueKey = CheckSlackToken.UniqueKeyFor(connection.Id),
            WorkspaceId = connection.WorkspaceId,
            MaxAttempts = 3,
        }, ct);
    }

    /// <summary>
    /// After an auth error: check the token at once, unless a check ran within the last minute or one is already
    /// pending. Added to the caller's unit of work (its SaveChanges wakes the workers).
    /// </summary>
    public async Task CheckSoonAsync(long connectionId, long workspaceId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var recurring = await jobs.FindByUniqueKeyAsync(CheckSlackToken.UniqueKeyFor(connectionId), ct);
        if (recurring is not null && (recurring.State == JobState.Running || recurring.AttemptedAt >= now - Debounce))
        {
            return;
        }
        await jobs.EnqueueAsync(new CheckSlackToken(connectionId, Recurring: false), new EnqueueOptions
        {
            Priority = JobPriority.High, UniqueKey = CheckSlackToken.UniqueKeyFor(connectionId, recurring: false), WorkspaceId = workspaceId,
            MaxAttempts = 1,
        }, ct);
    }
}

/// <summary>Arms a check for every connection that has none (at start-up; idempotent across instances by unique key).</summary>
internal sealed class SlackTokenCheckBootstrap(IServiceScopeFactory scopes, ILogger<SlackTokenCheckBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>();
            var checks = scope.ServiceProvider.GetRequiredService<SlackTokenChecks>();
            foreach (var connection in await db.Set<SlackConnection>().IgnoreQueryFilters().AsNoTracking().ToListAsync(cancellationToken))
            {
                await checks.EnsureArmedAsync(connection, cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            logger.LogDebug("Slack token checks already armed by another instance.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
