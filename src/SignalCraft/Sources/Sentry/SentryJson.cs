using System.Globalization;
using System.Text.Json;
using SignalCraft.Alerts;

namespace SignalCraft.Sources.Sentry;

/// <summary>Tolerant readers for Sentry's JSON: ids may be strings or numbers, many fields may be absent or null.</summary>
internal static class SentryJson
{
    public static JsonElement? Get(this JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }
        return current.ValueKind == JsonValueKind.Null ? null : current;
    }

    /// <summary>A string or number as text; null when absent, null or empty.</summary>
    public static string? Text(this JsonElement element, params string[] path)
    {
        var value = element.Get(path);
        var text = value?.ValueKind switch
        {
            JsonValueKind.String => value.Value.GetString(),
            JsonValueKind.Number => value.Value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>An id: a string or a number as text; null when absent, empty or of another type (a boolean is no id).</summary>
    public static string? Id(this JsonElement element, params string[] path) =>
        element.Get(path) is { ValueKind: JsonValueKind.String or JsonValueKind.Number } ? element.Text(path) : null;

    /// <summary>Parses the instant forms Sentry uses: ISO 8601 with <c>Z</c> or an offset, or float epoch seconds.</summary>
    public static DateTime? Instant(this JsonElement element, params string[] path)
    {
        var value = element.Get(path);
        if (value is null)
        {
            return null;
        }
        if (value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetDouble(out var seconds))
        {
            return FromEpochSeconds(seconds);
        }
        if (value.Value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.Value.GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed.UtcDateTime;
        }
        return null;
    }

    public static DateTime FromEpochSeconds(double seconds) =>
        DateTime.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    /// <summary>
    /// Tags arrive as <c>[[key, value], …]</c> in webhooks and <c>[{key, value}, …]</c> from the REST API; the
    /// legacy plugin keeps the <c>sentry:</c> key prefix, which is stripped so both read alike.
    /// </summary>
    public static List<AlertTag> Tags(this JsonElement element, params string[] path)
    {
        var tags = new List<AlertTag>();
        if (element.Get(path) is not { ValueKind: JsonValueKind.Array } array)
        {
            return tags;
        }
        foreach (var item in array.EnumerateArray())
        {
            string? key = null, value = null;
            if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() >= 2)
            {
                key = item[0].ValueKind == JsonValueKind.String ? item[0].GetString() : item[0].GetRawText();
                value = item[1].ValueKind == JsonValueKind.String ? item[1].GetString() : item[1].GetRawText();
            }
            else if (item.ValueKind == JsonValueKind.Object)
            {
                key = item.Text("key");
                value = item.Text("value");
            }
            if (!string.IsNullOrEmpty(key) && value is not null)
            {
                tags.Add(new AlertTag(key.StartsWith("sentry:", StringComparison.Ordinal) ? key["sentry:".Length..] : key, value));
            }
        }
        return tags;
    }
}
