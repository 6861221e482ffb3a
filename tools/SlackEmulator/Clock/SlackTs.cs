using System.Globalization;

namespace SlackEmulator.Clock;

/// <summary>Slack's message timestamp: a string "&lt;unix seconds&gt;.&lt;6 digits&gt;" (microseconds).</summary>
internal static class SlackTs
{
    public static long ToMicros(DateTimeOffset instant) => (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static string Format(long micros) =>
        string.Create(CultureInfo.InvariantCulture, $"{micros / 1_000_000}.{micros % 1_000_000:D6}");

    public static string Format(DateTimeOffset instant) => Format(ToMicros(instant));

    public static bool TryParseMicros(string? ts, out long micros)
    {
        micros = 0;
        if (string.IsNullOrWhiteSpace(ts))
        {
            return false;
        }

        var parts = ts.Split('.');
        if (parts.Length > 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        long fraction = 0;
        if (parts.Length == 2)
        {
            var digits = parts[1].Length > 6 ? parts[1][..6] : parts[1].PadRight(6, '0');
            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out fraction))
            {
                return false;
            }
        }

        micros = seconds * 1_000_000 + fraction;
        return true;
    }

    public static DateTimeOffset ToInstant(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    public static long UnixSeconds(DateTimeOffset instant) => instant.ToUnixTimeSeconds();
}
