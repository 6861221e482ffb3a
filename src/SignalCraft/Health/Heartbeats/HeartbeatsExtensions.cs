using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SignalCraft.Data;
using SignalCraft.Integrations;
using SignalCraft.Jobs;

namespace SignalCraft.Health.Heartbeats;

internal static class HeartbeatsExtensions
{
    /// <summary>Heartbeats: the sweep that turns a silent source into SignalCraft's own alert.</summary>
    public static IServiceCollection AddHeartbeats(this IServiceCollection services)
    {
        services.AddOptions<HeartbeatOptions>().BindConfiguration(HeartbeatOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddScoped<HeartbeatChecks>();
        services.AddJobHandler<CheckHeartbeats, CheckHeartbeatsHandler>();
        services.AddHostedService<HeartbeatBootstrap>();
        return services;
    }
}

/// <summary>At start-up, arms the sweep when some integration declares an interval (idempotent by unique key).</summary>
internal sealed class HeartbeatBootstrap(IServiceScopeFactory scopes, ILogger<HeartbeatBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>();
            if (await db.Set<Integration>().IgnoreQueryFilters().AnyAsync(i => i.ExpectedIntervalMinutes != null, cancellationToken))
            {
                await scope.ServiceProvider.GetRequiredService<HeartbeatChecks>().ArmAsync(cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateException)
        {
            logger.LogDebug("The heartbeat sweep is already armed by another instance.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
