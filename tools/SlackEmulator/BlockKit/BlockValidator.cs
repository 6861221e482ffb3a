using System.Text.Json;
using System.Text.Json.Nodes;
using SlackEmulator.Api;
using SlackEmulator.State;

namespace SlackEmulator.BlockKit;

/// <summary>The outcome of checking a blocks argument: the stored form, or Slack's error.</summary>
internal sealed record BlockCheck(JsonElement? Blocks, string? Error, IReadOnlyList<string> Details);

/// <summary>
/// Validates message blocks against Slack's published limits (50 blocks, section text 3000, fields
/// 10 x 2000, header 150, context 10, actions 25, button/confirm limits, block_id 255 and unique) and
/// returns them as Slack stores them (with generated block_id / action_id where missing).
/// </summary>
internal static class BlockValidator
{
    public const int MaxBlocks = 50;

    public static BlockCheck Check(JsonNode? blocks)
    {
        if (blocks is not JsonArray source)
        {
            return new BlockCheck(null, "invalid_blocks_format", []);
        }

        var array = (JsonArray)source.DeepClone();
        var errors = new BlockErrors();
        if (array.Count > MaxBlocks)
        {
            errors.TooMany(MaxBlocks, "/blocks");
        }

        var blockIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var pointer = $"/blocks/{i}";
            if (array[i] is not JsonObject block)
            {
                errors.Schema(pointer);
                continue;
            }

            var blockId = TextChecks.Str(block, "block_id");
            if (blockId is null)
            {
                block["block_id"] = Ids.Random(5);
            }
            else
            {
                TextChecks.MaxLength(block, "block_id", 255, pointer, errors);
                if (!blockIds.Add(blockId))
                {
                    errors.Duplicate("block_id", $"{pointer}/block_id");
                }
            }

            CheckBlock(block, pointer, errors);
        }

        return errors.Any
            ? new BlockCheck(null, "invalid_blocks", errors.Details)
            : new BlockCheck(SlackJson.Element(array), null, []);
    }

    private static void CheckBlock(JsonObject block, string pointer, BlockErrors errors)
    {
        switch (TextChecks.Str(block, "type"))
        {
            case "header":
                TextChecks.Text(block["text"], $"{pointer}/text", 150, plainOnly: true, errors);
                break;
            case "section":
                Section(block, pointer, errors);
                break;
            case "context":
                Elements(block, pointer, 10, errors, element => ContextElement(element.Node, element.Pointer, errors));
                break;
            case "actions":
                Actions(block, pointer, errors);
                break;
            case "image":
                TextChecks.MaxLength(block, "image_url", 3000, pointer, errors, required: block["slack_file"] is null);
                TextChecks.MaxLength(block, "alt_text", 2000, pointer, errors, required: true);
                break;
            case "markdown":
                TextChecks.MaxLength(block, "text", 12000, pointer, errors, required: true);
                break;
            case "divider" or "rich_text" or "input" or "file" or "video" or "call" or "table":
                break;
            case null:
                errors.Missing("type", pointer);
                break;
            default:
                errors.Schema(pointer);
                break;
        }
    }

    private static void Section(JsonObject block, string pointer, BlockErrors errors)
    {
        if (block["text"] is null && block["fields"] is null)
        {
            errors.Missing("text", pointer);
        }

        if (block["text"] is { } text)
        {
            TextChecks.Text(text, $"{pointer}/text", 3000, plainOnly: false, errors);
        }

        if (block["fields"] is { } fieldsNode)
        {
            if (fieldsNode is not JsonArray fields)
            {
                errors.Schema($"{pointer}/fields");
            }
            else
            {
                if (fields.Count > 10)
                {
                    errors.TooMany(10, $"{pointer}/fields");
                }

                for (var f = 0; f < fields.Count; f++)
                {
                    TextChecks.Text(fields[f], $"{pointer}/fields/{f}", 2000, plainOnly: false, errors);
                }
            }
        }

        if (block["accessory"] is { } accessory)
        {
            ElementChecks.AssignActionId(accessory);
            ElementChecks.Element(accessory, $"{pointer}/accessory", errors, allowImage: true);
        }
    }

    private static void Actions(JsonObject block, string pointer, BlockErrors errors)
    {
        var actionIds = new HashSet<string>(StringComparer.Ordinal);
        Elements(block, pointer, 25, errors, element =>
        {
            ElementChecks.AssignActionId(element.Node);
            ElementChecks.Element(element.Node, element.Pointer, errors, allowImage: false);
            if (element.Node is JsonObject obj && TextChecks.Str(obj, "action_id") is { } id && !actionIds.Add(id))
            {
                errors.Duplicate("action_id", $"{element.Pointer}/action_id");
            }
        });
    }

    private static void ContextElement(JsonNode? node, string pointer, BlockErrors errors)
    {
        if (node is JsonObject obj && TextChecks.Str(obj, "type") == "image")
        {
            ElementChecks.Element(obj, pointer, errors, allowImage: true);
            return;
        }

        TextChecks.Text(node, pointer, 3000, plainOnly: false, errors);
    }

    private static void Elements(JsonObject block, string pointer, int max, BlockErrors errors, Action<(JsonNode? Node, string Pointer)> check)
    {
        if (block["elements"] is not JsonArray elements)
        {
            errors.Missing("elements", pointer);
            return;
        }

        if (elements.Count == 0)
        {
            errors.TooFew(1, $"{pointer}/elements");
        }

        if (elements.Count > max)
        {
            errors.TooMany(max, $"{pointer}/elements");
        }

        for (var e = 0; e < elements.Count; e++)
        {
            check((elements[e], $"{pointer}/elements/{e}"));
        }
    }
}
