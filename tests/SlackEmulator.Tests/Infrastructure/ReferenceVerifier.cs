using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SlackEmulator.Tests.Infrastructure;

/// <summary>
/// An independent Slack signature verifier, written in the test project so the emulator's signer is
/// checked against something other than itself: v0 only, HMAC-SHA256 over "v0:{ts}:{raw body}",
/// constant-time comparison, and a 5-minute window around "now".
/// </summary>
public static class ReferenceVerifier
{
    public static bool IsValid(string signingSecret, string? timestampHeader, string? signatureHeader, byte[] rawBody, long nowUnixSeconds)
    {
        if (timestampHeader is null || signatureHeader is null || !signatureHeader.StartsWith("v0=", StringComparison.Ordinal))
        {
            return false;
        }

        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(nowUnixSeconds - timestamp) > 300)
        {
            return false;
        }

        var baseString = Encoding.UTF8.GetBytes($"v0:{timestampHeader}:").Concat(rawBody).ToArray();
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(signingSecret));
        var expected = "v0=" + Convert.ToHexString(hmac.ComputeHash(baseString)).ToLowerInvariant();
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signatureHeader));
    }
}
