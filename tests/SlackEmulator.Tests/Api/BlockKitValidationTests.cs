using System.Text.Json;
using System.Text.Json.Nodes;
using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Api;

/// <summary>Block Kit limits enforced by chat.postMessage, with Slack's invalid_blocks detail format.</summary>
public sealed class BlockKitValidationTests(EmulatorHost host) : EmulatorTest(host)
{
    private static JsonNode Section(string text) => Node(new { type = "section", text = new { type = "mrkdwn", text } });

    private static JsonNode Button(string actionId, string text = "Ack", string? value = null, string? style = null, string? url = null) =>
        Node(new { type = "button", action_id = actionId, text = new { type = "plain_text", text }, value, style, url });

    private static JsonNode Node(object value) =>
        JsonSerializer.SerializeToNode(value, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull })!;

    public static TheoryData<string, string> Cases() => new()
    {
        { "section_text_3001", "must be less than 3001 characters [json-pointer:/blocks/0/text/text]" },
        { "section_text_empty", "must be more than 0 characters [json-pointer:/blocks/0/text/text]" },
        { "blocks_51", "no more than 50 items allowed [json-pointer:/blocks]" },
        { "fields_11", "no more than 10 items allowed [json-pointer:/blocks/0/fields]" },
        { "field_2001", "must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]" },
        { "header_151", "must be less than 151 characters [json-pointer:/blocks/0/text/text]" },
        { "header_mrkdwn", "must be one of the provided values [json-pointer:/blocks/0/text/type]" },
        { "context_11", "no more than 10 items allowed [json-pointer:/blocks/0/elements]" },
        { "actions_26", "no more than 25 items allowed [json-pointer:/blocks/0/elements]" },
        { "button_text_76", "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]" },
        { "button_value_2001", "must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]" },
        { "button_url_3001", "must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]" },
        { "button_style_green", "must be one of the provided values [json-pointer:/blocks/0/elements/0/style]" },
        { "action_id_duplicate", "action_id must be unique [json-pointer:/blocks/0/elements/1/action_id]" },
        { "block_id_duplicate", "block_id must be unique [json-pointer:/blocks/1/block_id]" },
        { "block_id_256", "must be less than 256 characters [json-pointer:/blocks/0/block_id]" },
        { "confirm_title_101", "must be less than 101 characters [json-pointer:/blocks/0/elements/0/confirm/title/text]" },
        { "unknown_block_type", "failed to match all allowed schemas [json-pointer:/blocks/0]" },
    };

    private static JsonArray Blocks(string name) => name switch
    {
        "section_text_3001" => [Section(new string('a', 3001))],
        "section_text_empty" => [Section("")],
        "blocks_51" => [.. Enumerable.Range(0, 51).Select(_ => Node(new { type = "divider" }))],
        "fields_11" => [Node(new { type = "section", fields = Enumerable.Range(0, 11).Select(i => new { type = "mrkdwn", text = $"f{i}" }) })],
        "field_2001" => [Node(new { type = "section", fields = new[] { new { type = "mrkdwn", text = new string('b', 2001) } } })],
        "header_151" => [Node(new { type = "header", text = new { type = "plain_text", text = new string('h', 151) } })],
        "header_mrkdwn" => [Node(new { type = "header", text = new { type = "mrkdwn", text = "*bold*" } })],
        "context_11" => [Node(new { type = "context", elements = Enumerable.Range(0, 11).Select(i => new { type = "mrkdwn", text = $"c{i}" }) })],
        "actions_26" => [new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray([.. Enumerable.Range(0, 26).Select(i => Button($"a{i}"))]) }],
        "button_text_76" => [Actions(Button("ack", text: new string('t', 76)))],
        "button_value_2001" => [Actions(Button("ack", value: new string('v', 2001)))],
        "button_url_3001" => [Actions(Button("ack", url: "https://example.com/" + new string('u', 2990)))],
        "button_style_green" => [Actions(Button("ack", style: "green"))],
        "action_id_duplicate" => [Actions(Button("ack"), Button("ack"))],
        "block_id_duplicate" => [WithId(Section("one"), "same"), WithId(Section("two"), "same")],
        "block_id_256" => [WithId(Section("one"), new string('i', 256))],
        "confirm_title_101" => [Actions(WithConfirm(Button("resolve"), new string('c', 101)))],
        "unknown_block_type" => [Node(new { type = "hologram" })],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static JsonObject Actions(params JsonNode[] elements) => new() { ["type"] = "actions", ["elements"] = new JsonArray(elements) };

    private static JsonNode WithId(JsonNode block, string id)
    {
        block["block_id"] = id;
        return block;
    }

    private static JsonNode WithConfirm(JsonNode button, string title)
    {
        button["confirm"] = Node(new
        {
            title = new { type = "plain_text", text = title },
            text = new { type = "plain_text", text = "Sure?" },
            confirm = new { type = "plain_text", text = "Yes" },
            deny = new { type = "plain_text", text = "No" },
        });
        return button;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task PostMessage_BlockOverLimit_ReturnsInvalidBlocksWithPointer(string name, string expectedDetail)
    {
        var (_, body) = await Emulator.ApiJsonAsync("chat.postMessage", Token, new JsonObject
        {
            ["channel"] = W.AlertsId,
            ["text"] = "fallback",
            ["blocks"] = Blocks(name),
        });

        Assert.Equal("invalid_blocks", Str(body["error"]));
        Assert.Contains(expectedDetail, body["errors"]!.AsArray().Select(e => Str(e)));
        Assert.Contains("[ERROR] " + expectedDetail, body["response_metadata"]!["messages"]!.AsArray().Select(e => Str(e)));
        Assert.Empty(await Emulator.MessagesAsync(W.TeamId, W.AlertsId));
    }

    [Fact]
    public async Task PostMessage_SectionTextTooLong_MatchesRealSlackErrorShape()
    {
        var (_, body) = await Emulator.ApiJsonAsync("chat.postMessage", Token, new JsonObject
        {
            ["channel"] = W.AlertsId,
            ["blocks"] = new JsonArray(Section(new string('a', 3001))),
        });

        var fixture = Fixtures.Json("web-api.errors.json")["examples"]!.AsArray()
            .Single(e => e!["body"]!["error"]?.GetValue<string>() == "invalid_blocks")!["body"]!.AsObject();
        Assert.True(JsonNode.DeepEquals(fixture, body), body.ToJsonString());
    }

    [Fact]
    public async Task PostMessage_BlocksFormFieldNotJson_ReturnsInvalidBlocksFormat()
    {
        var (_, body) = await Emulator.ApiFormAsync("chat.postMessage", Token, new Dictionary<string, string>
        {
            ["channel"] = W.AlertsId,
            ["blocks"] = "[{not json",
        });

        Assert.Equal("invalid_blocks_format", Str(body["error"]));
    }

    [Fact]
    public async Task PostMessage_BlocksIsObjectNotArray_ReturnsInvalidBlocksFormat()
    {
        var (_, body) = await Emulator.ApiJsonAsync("chat.postMessage", Token, new { channel = W.AlertsId, blocks = new { type = "divider" } });

        Assert.Equal("invalid_blocks_format", Str(body["error"]));
    }

    [Fact]
    public async Task PostMessage_BlocksAtExactLimits_AreAccepted()
    {
        var blocks = new JsonArray(
            Section(new string('a', 3000)),
            Node(new { type = "header", text = new { type = "plain_text", text = new string('h', 150) } }),
            Actions([.. Enumerable.Range(0, 25).Select(i => Button($"a{i}", text: new string('t', 75), value: new string('v', 2000)))]));

        var (_, body) = await Emulator.ApiJsonAsync("chat.postMessage", Token, new JsonObject { ["channel"] = W.AlertsId, ["blocks"] = blocks });

        Assert.True(body["ok"]!.GetValue<bool>(), body.ToJsonString());
    }
}
