using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Jobs;

namespace SignalCraft.Health.Canary;

/// <summary>Starts, moves and stops a workspace's canary job when its settings change.</summary>
public sealed class CanaryScheduler(SignalCraftDbContext db, JobClient jobs, TimeProvider time)
{
    /// <summary>
    /// On: makes sure the job exists, its first probe one interval from now (a shorter new interval brings the next probe
    /// forward). Off: the job ends at its next look (a pending canary is still decided first).
    /// </summary>
    public async Task ScheduleAsync(WorkspaceSettings settings, bool intervalChanged, CancellationToken ct)
    {
        if (settings.CanaryIntervalMinutes is not { } minutes)
        {
            return;
        }
        var key = RunCanary.UniqueKeyFor(settings.WorkspaceId);
        var firstAt = time.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(minutes);
        var enqueued = await jobs.EnqueueAsync(new RunCanary(settings.WorkspaceId), new EnqueueOptions
        {
            Priority = JobPriority.High,
            RunAt = firstAt,
            UniqueKey = key,
            WorkspaceId = settings.WorkspaceId,
            MaxAttempts = 1000,
        }, ct);
        if (enqueued.AlreadyExists && intervalChanged && enqueued.Job.State is JobState.Scheduled && enqueued.Job.ScheduledAt > firstAt)
        {
            await jobs.RescheduleByUniqueKeyAsync(key, firstAt, ct);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DuplicateJobException)
        {
            db.ChangeTracker.Clear(); // a concurrent save armed it: one job is the point
        }
    }
}

internal static class CanaryExtensions
{
    /// <summary>The optional per-workspace canary and its record.</summary>
    public static IServiceCollection AddCanary(this IServiceCollection services)
    {
        services.AddOptions<CanaryOptions>().BindConfiguration(CanaryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddScoped<CanaryScheduler>();
        services.TryAddScoped<CanaryQueries>();
        services.TryAddScoped<CanarySettings>();
        services.AddJobHandler<RunCanary, RunCanaryHandler>();
        services.AddHostedService<CanaryBootstrap>();
        return services;
    }
}

/// <summary>At start-up, re-arms the canary of every workspace that has one on (idempotent by unique key).</summary>
internal sealed class CanaryBootstrap(IServiceScopeFactory scopes, ILogger<CanaryBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>();
            var store = scope.ServiceProvider.GetRequiredService<WorkspaceSettingsStore>();
            var scheduler = scope.ServiceProvider.GetRequiredService<CanaryScheduler>();
            var workspaces = await db.Set<WorkspaceSettingsRow>().IgnoreQueryFilters().Where(r => r.CanaryIntervalMinutes != null)
                .Select(r => r.WorkspaceId).ToListAsync(cancellationToken);
            foreach (var workspaceId in workspaces)
            {
                await scheduler.ScheduleAsync(await store.GetAsync(workspaceId, cancellationToken), false, cancellationToken);
            }
        }
        catch (DbUpdateException)
        {
            logger.LogDebug("Canaries already armed by another instance.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
