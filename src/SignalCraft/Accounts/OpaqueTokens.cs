using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SignalCraft.Accounts;

/// <summary>
/// Random bearer credentials (API tokens, invite and reset links) and the hash they are stored under. The tokens carry
/// 256 random bits, so SHA-256 is enough to make a stolen database useless; there is nothing to brute-force.
/// </summary>
internal static class OpaqueTokens
{
    /// <summary>Every API token starts with this, so the authentication scheme can tell it from Identity bearer tokens.</summary>
    public const string ApiTokenPrefix = "sc_";

    public static string NewApiToken() => ApiTokenPrefix + NewToken();

    /// <summary>URL-safe (base64url), so it can sit in a link path.</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
