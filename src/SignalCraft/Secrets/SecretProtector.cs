using Microsoft.AspNetCore.DataProtection;

namespace SignalCraft.Secrets;

/// <summary>
/// Encrypts credentials (Slack tokens, signing secrets, webhook URLs) before they are stored. Every feature stores
/// secrets through this one class so that none is ever written in clear.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("SignalCraft.Secrets.v1");

    /// <summary>Returns the ciphertext of <paramref name="plaintext"/> for the given purpose (e.g. "slack-token").</summary>
    public string Protect(string purpose, string plaintext) => _protector.CreateProtector(purpose).Protect(plaintext);

    /// <summary>Decrypts a value written by <see cref="Protect"/> with the same purpose.</summary>
    public string Unprotect(string purpose, string ciphertext) => _protector.CreateProtector(purpose).Unprotect(ciphertext);
}
