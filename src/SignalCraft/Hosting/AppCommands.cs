using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Hosting;

/// <summary>
/// One-shot commands run instead of the web host: <c>migrate</c> applies the schema for production deployments
/// that start instances with <c>Database__MigrateOnStart=false</c>; <c>reset-password &lt;email&gt;</c> prints a
/// single-use password reset link for the operator of a self-hosted installation.
/// </summary>
internal static class AppCommands
{
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        var positional = args.Where(a => !a.StartsWith('-')).ToList();
        switch (positional.FirstOrDefault())
        {
            case "migrate":
                var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SignalCraft.Migrate");
                await DatabaseMigrator.MigrateAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), logger, CancellationToken.None);
                logger.LogInformation("The database schema is up to date.");
                return true;
            case ResetPasswordCommand.Name:
                Environment.ExitCode = await ResetPasswordCommand.RunAsync(
                    app.Services, positional.Skip(1).ToList(), Console.Out, Console.Error, CancellationToken.None);
                return true;
            default:
                return false;
        }
    }
}
