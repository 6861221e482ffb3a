using System.Security.Cryptography;
using System.Text;

namespace SignalCraft.Sources.Sentry;

/// <summary>
/// Checks <c>Sentry-Hook-Signature</c>: lowercase hex HMAC-SHA256 of the raw request bytes under the integration's
/// client secret. The raw bytes are hashed as received — re-serialising parsed JSON changes escapes and whitespace and
/// would reject genuine requests.
/// </summary>
public static class SentrySignatureVerifier
{
    public static bool IsValid(ReadOnlySpan<byte> body, string? signatureHeader, string clientSecret)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), body, expected);

        Span<byte> given = stackalloc byte[32];
        var hex = signatureHeader.Trim();
        if (hex.Length != 64 || Convert.FromHexString(hex, given, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != 32)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The signature Sentry would send for <paramref name="body"/> (tests and the "send test webhook" action).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string clientSecret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), body));
}
