using SignalCraft.Data;

namespace SignalCraft.Hosting;

/// <summary>
/// One-shot commands run instead of the web host: <c>migrate</c> applies the schema for production deployments
/// that start instances with <c>Database__MigrateOnStart=false</c>.
/// </summary>
internal static class AppCommands
{
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        var command = args.FirstOrDefault(a => !a.StartsWith('-'));
        switch (command)
        {
            case "migrate":
                var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SignalCraft.Migrate");
                await DatabaseMigrator.MigrateAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), logger, CancellationToken.None);
                logger.LogInformation("The database schema is up to date.");
                return true;
            default:
                return false;
        }
    }
}
