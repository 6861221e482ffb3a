using System.Text.Json.Nodes;
using SlackEmulator.State;

namespace SlackEmulator.BlockKit;

/// <summary>Interactive elements (actions blocks and section accessories) and their limits.</summary>
internal static class ElementChecks
{
    /// <summary>Elements the emulator checks loosely: valid in Slack, but SignalCraft does not use them.</summary>
    private static readonly HashSet<string> LooseTypes =
    [
        "datepicker", "timepicker", "datetimepicker", "users_select", "conversations_select", "channels_select",
        "external_select", "multi_static_select", "multi_users_select", "multi_conversations_select",
        "multi_channels_select", "multi_external_select", "checkboxes", "radio_buttons", "plain_text_input",
        "workflow_button", "rich_text_input", "email_text_input", "url_text_input", "number_input",
    ];

    public static void Element(JsonNode? node, string pointer, BlockErrors errors, bool allowImage)
    {
        if (node is not JsonObject element)
        {
            errors.Schema(pointer);
            return;
        }

        var type = TextChecks.Str(element, "type");
        switch (type)
        {
            case "button":
                Button(element, pointer, errors);
                break;
            case "static_select":
                TextChecks.MaxLength(element, "action_id", 255, pointer, errors);
                if (element["placeholder"] is not null)
                {
                    TextChecks.Text(element["placeholder"], $"{pointer}/placeholder", 150, plainOnly: true, errors);
                }

                if (element["option_groups"] is null)
                {
                    TextChecks.Options(element["options"], $"{pointer}/options", 1, 100, errors);
                }

                TextChecks.Confirm(element["confirm"], $"{pointer}/confirm", errors);
                break;
            case "overflow":
                TextChecks.MaxLength(element, "action_id", 255, pointer, errors);
                TextChecks.Options(element["options"], $"{pointer}/options", 1, 5, errors);
                TextChecks.Confirm(element["confirm"], $"{pointer}/confirm", errors);
                break;
            case "image" when allowImage:
                TextChecks.MaxLength(element, "image_url", 3000, pointer, errors, required: element["slack_file"] is null);
                TextChecks.MaxLength(element, "alt_text", 2000, pointer, errors, required: true);
                break;
            case not null when LooseTypes.Contains(type):
                TextChecks.MaxLength(element, "action_id", 255, pointer, errors);
                break;
            default:
                errors.Schema(pointer);
                break;
        }
    }

    private static void Button(JsonObject button, string pointer, BlockErrors errors)
    {
        TextChecks.Text(button["text"], $"{pointer}/text", 75, plainOnly: true, errors);
        TextChecks.MaxLength(button, "action_id", 255, pointer, errors);
        TextChecks.MaxLength(button, "value", 2000, pointer, errors);
        TextChecks.MaxLength(button, "url", 3000, pointer, errors);
        TextChecks.MaxLength(button, "accessibility_label", 75, pointer, errors);
        if (button["style"] is not null && TextChecks.Str(button, "style") is not ("primary" or "danger"))
        {
            errors.NotOneOf($"{pointer}/style");
        }

        TextChecks.Confirm(button["confirm"], $"{pointer}/confirm", errors);
    }

    /// <summary>Slack fills in an action_id when an interactive element has none; so does the emulator.</summary>
    public static void AssignActionId(JsonNode? node)
    {
        if (node is JsonObject element && element["action_id"] is null && TextChecks.Str(element, "type") is { } type
            && type != "image")
        {
            element["action_id"] = Ids.Random(5);
        }
    }
}
