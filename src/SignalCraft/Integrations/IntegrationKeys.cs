using System.Security.Cryptography;
using System.Text;

namespace SignalCraft.Integrations;

/// <summary>URL keys: random, looked up by their SHA-256 so the database never holds one usable in clear.</summary>
public static class IntegrationKeys
{
    /// <summary>The shortest explicit key accepted outside Development (for replaying captured requests).</summary>
    public const int MinimumExplicitLength = 24;

    public static string NewKey() => Base64UrlEncode(RandomNumberGenerator.GetBytes(24));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
