using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SlackEmulator.Api;

/// <summary>
/// A method's arguments, whichever way they came (query, form, JSON body). Form values are strings;
/// structured arguments (blocks, metadata) may be a JSON string inside a form field or real JSON.
/// </summary>
internal sealed class SlackArgs
{
    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.Ordinal);

    public void Set(string name, JsonNode? value) => _values[name] = value;

    public bool Has(string name) => _values.ContainsKey(name);

    public string? String(string name)
    {
        if (!_values.TryGetValue(name, out var node) || node is null)
        {
            return null;
        }

        return node is JsonValue value && value.TryGetValue<string>(out var s) ? s : node.ToJsonString();
    }

    public bool Bool(string name, bool fallback = false)
    {
        if (!_values.TryGetValue(name, out var node) || node is null)
        {
            return fallback;
        }

        if (node is JsonValue v && v.TryGetValue<bool>(out var b))
        {
            return b;
        }

        var s = String(name);
        return s is "1" || string.Equals(s, "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An integer argument; <paramref name="invalid"/> is set when present but not a number.</summary>
    public int? Int(string name, out bool invalid)
    {
        invalid = false;
        var s = String(name);
        if (string.IsNullOrEmpty(s))
        {
            return null;
        }

        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        invalid = true;
        return null;
    }

    /// <summary>
    /// A structured argument. A JSON string is parsed (form encoding); <paramref name="malformed"/> is
    /// set when that string is not JSON.
    /// </summary>
    public JsonNode? Json(string name, out bool malformed)
    {
        malformed = false;
        if (!_values.TryGetValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                malformed = true;
                return null;
            }
        }

        return node;
    }
}
