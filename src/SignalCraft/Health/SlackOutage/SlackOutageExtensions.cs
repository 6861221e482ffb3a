using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SignalCraft.Data;
using SignalCraft.Integrations.Slack;
using SignalCraft.Jobs;

namespace SignalCraft.Health.SlackOutage;

internal static class SlackOutageExtensions
{
    /// <summary>The sweep that tells the workspace's fallback when Slack delivery has been failing too long.</summary>
    public static IServiceCollection AddSlackOutageNotices(this IServiceCollection services)
    {
        services.TryAddScoped<SlackOutages>();
        services.TryAddScoped<FallbackNotices>();
        services.TryAddScoped<SlackOutageChecks>();
        services.AddJobHandler<CheckSlackOutages, CheckSlackOutagesHandler>();
        services.AddHostedService<SlackOutageBootstrap>();
        return services;
    }
}

/// <summary>At start-up, arms the sweep when a connection is refused or an outage notice is open (idempotent by unique key).</summary>
internal sealed class SlackOutageBootstrap(IServiceScopeFactory scopes, ILogger<SlackOutageBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>();
            if (await db.Set<SlackConnection>().IgnoreQueryFilters()
                    .AnyAsync(c => c.Status == SlackConnectionStatus.Unhealthy || c.OutageToldSince != null, cancellationToken))
            {
                await scope.ServiceProvider.GetRequiredService<SlackOutageChecks>().ArmAsync(cancellationToken);
            }
        }
        catch (DbUpdateException)
        {
            logger.LogDebug("The Slack outage sweep is already armed by another instance.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
