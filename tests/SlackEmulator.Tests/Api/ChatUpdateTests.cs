using System.Text.Json.Nodes;
using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Api;

/// <summary>chat.update: edits in place, keeps what is omitted, records history, refuses others' messages.</summary>
public sealed class ChatUpdateTests(EmulatorHost host) : EmulatorTest(host)
{
    private async Task<string> PostAlertAsync()
    {
        var request = Fixtures.Json("chat.postMessage.alert.request.json");
        request["channel"] = W.AlertsId;
        request["metadata"] = new JsonObject { ["event_type"] = "signalcraft_notification", ["event_payload"] = new JsonObject { ["group"] = "g_7f3a9c" } };
        var (_, body) = await Emulator.ApiJsonAsync("chat.postMessage", Token, request);
        return Str(body["ts"]);
    }

    [Fact]
    public async Task Update_FixtureAckRequest_ReturnsFixtureShapeAndKeepsEditHistory()
    {
        var ts = await PostAlertAsync();
        var update = Fixtures.Json("chat.update.ack.request.json");
        update["channel"] = W.AlertsId;
        update["ts"] = ts;

        var (_, body) = await Emulator.ApiJsonAsync("chat.update", Token, update);

        var fixture = Fixtures.Json("chat.update.response.ok.json");
        Assert.True(body["ok"]!.GetValue<bool>(), body.ToJsonString());
        Fixtures.AssertHasKeysOf(fixture, body);
        Fixtures.AssertHasKeysOf(fixture["message"]!.AsObject(), body["message"]!.AsObject());
        Assert.Equal(ts, Str(body["ts"]));
        Assert.Equal(Str(update["text"]), Str(body["text"]));

        var stored = Assert.Single(await Emulator.MessagesAsync(W.TeamId, W.AlertsId))!;
        Assert.True(JsonNode.DeepEquals(update["blocks"], stored["blocks"]));
        Assert.NotNull(stored["edited"]);
        var previous = Assert.Single(stored["history"]!.AsArray())!;
        Assert.StartsWith("<!here> [CRITICAL]", Str(previous["text"]));
        Assert.Equal("chat.update", Str(previous["replacedBy"]));
        Assert.Equal("signalcraft_notification", Str(stored["metadata"]!["event_type"]));
    }

    [Fact]
    public async Task Update_BlocksOmitted_KeepsBlocks()
    {
        var ts = await PostAlertAsync();

        await Emulator.ApiJsonAsync("chat.update", Token, new { channel = W.AlertsId, ts, text = "only text changed" });

        var stored = Assert.Single(await Emulator.MessagesAsync(W.TeamId, W.AlertsId))!;
        Assert.Equal("only text changed", Str(stored["text"]));
        Assert.Equal(4, stored["blocks"]!.AsArray().Count);
    }

    [Fact]
    public async Task Update_EmptyBlocks_RemovesBlocks()
    {
        var ts = await PostAlertAsync();

        await Emulator.ApiJsonAsync("chat.update", Token, new { channel = W.AlertsId, ts, text = "plain now", blocks = Array.Empty<object>() });

        var stored = Assert.Single(await Emulator.MessagesAsync(W.TeamId, W.AlertsId))!;
        Assert.Null(stored["blocks"]);
    }

    [Fact]
    public async Task Update_MessageOfAnotherApp_ReturnsCantUpdateMessage()
    {
        var ts = await PostAlertAsync();
        var other = await Emulator.InstallAsync(W.TeamId, ["chat:write", "chat:write.public"], appId: "A0OTHER");

        var (_, body) = await Emulator.ApiJsonAsync("chat.update", other, new { channel = W.AlertsId, ts, text = "hijack" });

        Assert.Equal("cant_update_message", Str(body["error"]));
    }

    [Fact]
    public async Task Update_UnknownTs_ReturnsMessageNotFound()
    {
        var (_, body) = await Emulator.ApiJsonAsync("chat.update", Token, new { channel = W.AlertsId, ts = "1700000000.000001", text = "x" });

        Assert.Equal("message_not_found", Str(body["error"]));
    }

    [Fact]
    public async Task Update_TextOver4000Characters_ReturnsMsgTooLong()
    {
        var ts = await PostAlertAsync();

        var (_, body) = await Emulator.ApiJsonAsync("chat.update", Token, new { channel = W.AlertsId, ts, text = new string('y', 4001) });

        Assert.Equal("msg_too_long", Str(body["error"]));
    }

    [Fact]
    public async Task Update_ChannelArchivedAfterPost_ReturnsIsInactive()
    {
        var ts = await PostAlertAsync();
        await Emulator.SendAsync(HttpMethod.Patch, $"/_emulator/teams/{W.TeamId}/channels/{W.AlertsId}", new { isArchived = true });

        var (_, body) = await Emulator.ApiJsonAsync("chat.update", Token, new { channel = W.AlertsId, ts, text = "late" });

        Assert.Equal("is_inactive", Str(body["error"]));
    }
}
