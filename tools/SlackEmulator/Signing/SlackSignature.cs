using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SlackEmulator.Signing;

/// <summary>
/// Slack's request signature: "v0=" + lowercase hex HMAC-SHA256, keyed with the signing secret (UTF-8),
/// over "v0:{timestamp}:{raw body bytes}".
/// </summary>
public static class SlackSignature
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";

    public static string Compute(string signingSecret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v0:{timestamp}:"));
        var baseString = new byte[prefix.Length + body.Length];
        prefix.CopyTo(baseString, 0);
        body.CopyTo(baseString.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), baseString);
        return "v0=" + Convert.ToHexStringLower(mac);
    }
}
