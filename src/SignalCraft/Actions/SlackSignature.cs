using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SignalCraft.Actions;

/// <summary>
/// Slack's request signing (reference §6): <c>X-Slack-Signature: v0=hex(HMAC-SHA256(signing secret, "v0:{ts}:{raw body}"))</c>
/// over the exact bytes received, a timestamp within five minutes of now, compared in constant time.
/// </summary>
public static class SlackSignature
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>True when the signature is Slack's for this body and the timestamp is fresh (either direction).</summary>
    public static bool Verify(string? secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(signature) || !signature.StartsWith("v0=", StringComparison.Ordinal)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > Window.TotalSeconds)
        {
            return false; // a replay, or a clock far off
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp!, body));
        var given = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
