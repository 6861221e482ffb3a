using System.Text.Json.Nodes;

namespace SlackEmulator.BlockKit;

/// <summary>Checks for composition objects: text objects, options and confirm dialogs.</summary>
internal static class TextChecks
{
    /// <summary>
    /// A text object ({type: plain_text|mrkdwn, text}) of 1..max characters. Like Slack, a bad text
    /// object reports the schema mismatch on the object and the precise problem on its "text".
    /// </summary>
    public static void Text(JsonNode? node, string pointer, int max, bool plainOnly, BlockErrors errors)
    {
        if (node is not JsonObject obj)
        {
            errors.Schema(pointer);
            return;
        }

        var type = Str(obj, "type");
        if (type is not ("plain_text" or "mrkdwn") || (plainOnly && type != "plain_text"))
        {
            errors.Schema(pointer);
            errors.NotOneOf($"{pointer}/type");
            return;
        }

        var text = Str(obj, "text");
        if (string.IsNullOrEmpty(text))
        {
            errors.Schema(pointer);
            errors.Empty($"{pointer}/text");
        }
        else if (text.Length > max)
        {
            errors.Schema(pointer);
            errors.TooLong(max, $"{pointer}/text");
        }
    }

    public static void Options(JsonNode? node, string pointer, int min, int max, BlockErrors errors)
    {
        if (node is not JsonArray options)
        {
            errors.Missing("options", pointer[..pointer.LastIndexOf('/')]);
            return;
        }

        if (options.Count < min)
        {
            errors.TooFew(min, pointer);
        }

        if (options.Count > max)
        {
            errors.TooMany(max, pointer);
        }

        for (var i = 0; i < options.Count; i++)
        {
            Option(options[i], $"{pointer}/{i}", errors);
        }
    }

    public static void Option(JsonNode? node, string pointer, BlockErrors errors)
    {
        if (node is not JsonObject option)
        {
            errors.Schema(pointer);
            return;
        }

        Text(option["text"], $"{pointer}/text", 75, plainOnly: false, errors);
        MaxLength(option, "value", 150, pointer, errors, required: true);
    }

    public static void Confirm(JsonNode? node, string pointer, BlockErrors errors)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject confirm)
        {
            errors.Schema(pointer);
            return;
        }

        Text(confirm["title"], $"{pointer}/title", 100, plainOnly: true, errors);
        Text(confirm["text"], $"{pointer}/text", 300, plainOnly: false, errors);
        Text(confirm["confirm"], $"{pointer}/confirm", 30, plainOnly: true, errors);
        Text(confirm["deny"], $"{pointer}/deny", 30, plainOnly: true, errors);
    }

    /// <summary>A string field of at most <paramref name="max"/> characters (and not empty when present).</summary>
    public static void MaxLength(JsonObject obj, string field, int max, string pointer, BlockErrors errors, bool required = false)
    {
        var value = Str(obj, field);
        if (value is null)
        {
            if (required)
            {
                errors.Missing(field, pointer);
            }

            return;
        }

        if (value.Length == 0)
        {
            errors.Empty($"{pointer}/{field}");
        }
        else if (value.Length > max)
        {
            errors.TooLong(max, $"{pointer}/{field}");
        }
    }

    public static string? Str(JsonObject obj, string field) =>
        obj[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
