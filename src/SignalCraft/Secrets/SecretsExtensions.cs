using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SignalCraft.Data;

namespace SignalCraft.Secrets;

internal static class SecretsExtensions
{
    /// <summary>Data Protection with its key ring in the database, each key encrypted with the master key.</summary>
    public static IHostApplicationBuilder AddSecrets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecretsOptions>().BindConfiguration(SecretsOptions.SectionName);
        builder.Services.TryAddSingleton(sp => MasterKey.Load(
            sp.GetRequiredService<IOptions<SecretsOptions>>().Value.MasterKey,
            sp.GetRequiredService<DatabaseInfo>().Provider,
            sp.GetRequiredService<IHostEnvironment>().ContentRootPath,
            sp.GetService<ILoggerFactory>()?.CreateLogger("SignalCraft.Secrets") ?? NullLogger.Instance));

        builder.Services.AddDataProtection()
            // A fixed name, not the content root: every instance must read the keys the others wrote.
            .SetApplicationName("SignalCraft")
            .PersistKeysToDbContext<SignalCraftDbContext>();
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<MasterKey>((o, key) => o.XmlEncryptor = new MasterKeyXmlEncryptor(key));
        builder.Services.TryAddSingleton<SecretProtector>();
        builder.Services.AddHostedService<MasterKeyCheck>();
        return builder;
    }
}

/// <summary>Resolves the master key at start-up so a missing or malformed key stops the process with its message.</summary>
internal sealed class MasterKeyCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<MasterKey>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
