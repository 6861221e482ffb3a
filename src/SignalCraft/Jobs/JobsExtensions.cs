using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SignalCraft.Data.Postgres;
using SignalCraft.Data.Sqlite;

namespace SignalCraft.Jobs;

internal static class JobsExtensions
{
    /// <summary>
    /// The durable job queue: <see cref="JobClient"/> and <see cref="JobStore"/> (scoped), the commit interceptor on
    /// both provider contexts, the worker, the PostgreSQL listener, leader-only maintenance and the probe kind.
    /// Call after <c>AddData()</c>: hosted services start in registration order, and the migrator must finish first.
    /// </summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>();

        services.TryAddSingleton<JobSignal>();
        services.TryAddSingleton<WorkerIdentity>();
        services.TryAddSingleton<JobKindRegistry>();
        services.TryAddSingleton<JobCommitInterceptor>();
        services.TryAddScoped<JobClient>();
        services.TryAddScoped<JobStore>();

        // Added to the options of each provider's context (built once per process, like the rest of AddData's).
        services.ConfigureDbContext<SqliteSignalCraftDbContext>(
            (sp, o) => o.AddInterceptors(sp.GetRequiredService<JobCommitInterceptor>()), ServiceLifetime.Singleton);
        services.ConfigureDbContext<PostgresSignalCraftDbContext>(
            (sp, o) => o.AddInterceptors(sp.GetRequiredService<JobCommitInterceptor>()), ServiceLifetime.Singleton);

        services.AddJobHandler<ProbeJob, ProbeJobHandler>();

        services.AddHostedService<PostgresJobListener>();
        services.AddHostedService<JobWorker>();
        services.AddHostedService<JobMaintenance>();
        return builder;
    }
}
