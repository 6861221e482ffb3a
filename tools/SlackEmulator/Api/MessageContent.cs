using System.Text.Json;
using System.Text.Json.Nodes;
using SlackEmulator.BlockKit;

namespace SlackEmulator.Api;

/// <summary>The content arguments of chat.postMessage / chat.update, checked against Slack's limits.</summary>
internal sealed class MessageContent
{
    public const int PostTruncateAt = 40_000;
    public const int UpdateMaxText = 4_000;
    public const int MaxAttachments = 100;

    public string? Text { get; private set; }
    public bool HasBlocks { get; private set; }
    public JsonElement? Blocks { get; private set; }
    public bool HasAttachments { get; private set; }
    public JsonElement? Attachments { get; private set; }
    public bool HasMetadata { get; private set; }
    public JsonElement? Metadata { get; private set; }
    public List<string> Warnings { get; } = [];

    /// <summary>Reads and checks; returns Slack's error when the content is refused.</summary>
    public static (MessageContent Content, ApiResult? Error) Read(SlackArgs args, bool isUpdate)
    {
        var content = new MessageContent { Text = args.String("text") };
        var error = content.ReadBlocks(args) ?? content.ReadAttachments(args) ?? content.ReadMetadata(args);
        if (error is not null)
        {
            return (content, error);
        }

        var hasSomething = !string.IsNullOrEmpty(content.Text) || content.Blocks is not null || content.Attachments is not null;
        if (!hasSomething && (!isUpdate || !(content.HasBlocks || content.HasAttachments)))
        {
            return (content, ApiResult.Error("no_text"));
        }

        if (content.Text is { Length: > UpdateMaxText } && isUpdate)
        {
            return (content, ApiResult.Error("msg_too_long"));
        }

        if (content.Text is { Length: > PostTruncateAt })
        {
            content.Text = content.Text[..PostTruncateAt];
            content.Warnings.Add("message_truncated");
        }

        return (content, null);
    }

    private ApiResult? ReadBlocks(SlackArgs args)
    {
        if (!args.Has("blocks"))
        {
            return null;
        }

        HasBlocks = true;
        var node = args.Json("blocks", out var malformed);
        if (malformed)
        {
            return ApiResult.Error("invalid_blocks_format");
        }

        // An empty list means "no blocks" (chat.update: remove them).
        if (node is null || node is JsonArray { Count: 0 })
        {
            return null;
        }

        var check = BlockValidator.Check(node);
        if (check.Error is null)
        {
            Blocks = check.Blocks;
            return null;
        }

        if (check.Details.Count == 0)
        {
            return ApiResult.Error(check.Error);
        }

        var extra = new JsonObject
        {
            ["errors"] = new JsonArray([.. check.Details.Select(d => (JsonNode)JsonValue.Create(d))]),
            ["response_metadata"] = new JsonObject
            {
                ["messages"] = new JsonArray([.. check.Details.Select(d => (JsonNode)JsonValue.Create("[ERROR] " + d))]),
            },
        };
        return ApiResult.Error(check.Error, extra);
    }

    private ApiResult? ReadAttachments(SlackArgs args)
    {
        if (!args.Has("attachments"))
        {
            return null;
        }

        HasAttachments = true;
        var node = args.Json("attachments", out var malformed);
        if (malformed || node is not (null or JsonArray))
        {
            return ApiResult.Error("invalid_attachments");
        }

        if (node is JsonArray { Count: > MaxAttachments })
        {
            return ApiResult.Error("too_many_attachments");
        }

        Attachments = node is JsonArray { Count: > 0 } array ? SlackJson.Element(array) : null;
        return null;
    }

    /// <summary>metadata = {event_type: string, event_payload: object}; "{}" clears it on update.</summary>
    private ApiResult? ReadMetadata(SlackArgs args)
    {
        if (!args.Has("metadata"))
        {
            return null;
        }

        HasMetadata = true;
        var node = args.Json("metadata", out var malformed);
        if (malformed || node is not (null or JsonObject))
        {
            return ApiResult.Error("invalid_metadata_format");
        }

        if (node is JsonObject { Count: 0 } or null)
        {
            return null;
        }

        var obj = (JsonObject)node;
        var eventType = obj["event_type"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrEmpty(eventType) || obj["event_payload"] is not (null or JsonObject))
        {
            return ApiResult.Error("invalid_metadata_format");
        }

        Metadata = SlackJson.Element(obj);
        return null;
    }
}
