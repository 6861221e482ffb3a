using System.Text.Json;
using System.Text.Json.Nodes;
using SlackEmulator.Api;

namespace SlackEmulator.Interactivity;

/// <summary>An interactive element found in a message, with the block it sits in.</summary>
internal sealed record FoundAction(JsonElement Element, string BlockId, string Type);

/// <summary>Finds clickable elements in stored blocks and builds the actions[] entry Slack sends.</summary>
internal static class ActionLookup
{
    /// <summary>Elements of actions blocks and section accessories, in display order.</summary>
    public static IEnumerable<FoundAction> All(JsonElement? blocks)
    {
        if (blocks is not { ValueKind: JsonValueKind.Array } array)
        {
            yield break;
        }

        foreach (var block in array.EnumerateArray())
        {
            var blockId = block.TryGetProperty("block_id", out var id) ? id.GetString() ?? "" : "";
            var type = block.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (type == "actions" && block.TryGetProperty("elements", out var elements) && elements.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in elements.EnumerateArray())
                {
                    yield return new FoundAction(element, blockId, TypeOf(element));
                }
            }
            else if (type == "section" && block.TryGetProperty("accessory", out var accessory) && TypeOf(accessory) != "image")
            {
                yield return new FoundAction(accessory, blockId, TypeOf(accessory));
            }
        }
    }

    public static FoundAction? Find(JsonElement? blocks, string actionId, string? blockId) =>
        All(blocks).FirstOrDefault(a => ActionId(a.Element) == actionId && (blockId is null || a.BlockId == blockId));

    public static string? ActionId(JsonElement element) =>
        element.TryGetProperty("action_id", out var id) ? id.GetString() : null;

    /// <summary>The chosen option of a static_select / overflow (also inside option_groups).</summary>
    public static JsonElement? Option(JsonElement element, string? value)
    {
        foreach (var option in Options(element))
        {
            if (option.TryGetProperty("value", out var v) && v.GetString() == value)
            {
                return option;
            }
        }

        return null;
    }

    public static IEnumerable<JsonElement> Options(JsonElement element)
    {
        if (element.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Array)
        {
            foreach (var option in options.EnumerateArray())
            {
                yield return option;
            }
        }

        if (element.TryGetProperty("option_groups", out var groups) && groups.ValueKind == JsonValueKind.Array)
        {
            foreach (var group in groups.EnumerateArray())
            {
                foreach (var option in Options(group))
                {
                    yield return option;
                }
            }
        }
    }

    /// <summary>The actions[] entry: button fields, or selected_option for selects and overflows.</summary>
    public static JsonObject ToPayloadAction(FoundAction found, JsonElement? selected, string actionTs)
    {
        var element = found.Element;
        var action = new JsonObject
        {
            ["type"] = found.Type,
            ["action_id"] = ActionId(element),
            ["block_id"] = found.BlockId,
        };
        if (found.Type == "button")
        {
            action["text"] = Copy(element, "text");
            if (element.TryGetProperty("value", out var value))
            {
                action["value"] = value.GetString();
            }

            if (element.TryGetProperty("style", out var style))
            {
                action["style"] = style.GetString();
            }
        }
        else
        {
            action["selected_option"] = SlackJson.Node(selected);
            if (element.TryGetProperty("placeholder", out _))
            {
                action["placeholder"] = Copy(element, "placeholder");
            }
        }

        action["action_ts"] = actionTs;
        return action;
    }

    private static JsonNode? Copy(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? SlackJson.Node(value) : null;

    private static string TypeOf(JsonElement element) =>
        element.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
}
