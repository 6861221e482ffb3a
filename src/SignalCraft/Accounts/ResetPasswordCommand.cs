using Microsoft.AspNetCore.Identity;

namespace SignalCraft.Accounts;

/// <summary>
/// <c>dotnet SignalCraft.dll reset-password &lt;email&gt;</c>: prints a single-use reset link for the operator of a
/// self-hosted installation (no email delivery needed, no admin required). Set <c>App__PublicBaseUrl</c> so the link
/// carries the address people reach the app at.
/// </summary>
internal static class ResetPasswordCommand
{
    public const string Name = "reset-password";

    /// <summary>Returns the process exit code: 0 with the link printed, 2 for a usage error, 1 for an unknown email.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> arguments, TextWriter output,
        TextWriter error, CancellationToken ct)
    {
        if (arguments.Count != 1 || !arguments[0].Contains('@'))
        {
            await error.WriteLineAsync("Usage: SignalCraft reset-password <email>   (prints a single-use password reset link)");
            return 2;
        }
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SignalCraftUser>>();
        var user = await users.FindByEmailAsync(arguments[0].Trim());
        if (user is null)
        {
            await error.WriteLineAsync($"No account with the email {arguments[0]}.");
            return 1;
        }
        var (url, expiresAt) = await scope.ServiceProvider.GetRequiredService<PasswordResetLinks>()
            .IssueAsync(user.Id, "reset-password command", ct);
        await output.WriteLineAsync($"Password reset link for {user.Email} (single use, valid until {expiresAt:yyyy-MM-dd HH:mm} UTC):");
        await output.WriteLineAsync(url);
        await output.WriteLineAsync("Open it, or POST /api/auth/reset-password {\"token\": \"<the last part of the link>\", \"newPassword\": \"…\"}.");
        return 0;
    }
}
