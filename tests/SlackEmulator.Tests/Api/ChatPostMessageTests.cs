using System.Text.Json;
using System.Text.Json.Nodes;
using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Api;

/// <summary>chat.postMessage: request shapes, storage, threads, membership and scopes.</summary>
public sealed class ChatPostMessageTests(EmulatorHost host) : EmulatorTest(host)
{
    private JsonObject AlertRequest()
    {
        var request = Fixtures.Json("chat.postMessage.alert.request.json");
        request["channel"] = W.AlertsId;
        return request;
    }

    [Fact]
    public async Task PostMessage_FixtureRequestAsJson_ReturnsFixtureShapeAndStoresMessage()
    {
        var request = AlertRequest();

        var (_, body) = await Emulator.ApiJsonAsync("chat.postMessage", Token, request);

        var fixture = Fixtures.Json("chat.postMessage.response.ok.json");
        Assert.True(body["ok"]!.GetValue<bool>(), body.ToJsonString());
        Fixtures.AssertHasKeysOf(fixture, body);
        Fixtures.AssertHasKeysOf(fixture["message"]!.AsObject(), body["message"]!.AsObject());
        Assert.Equal(W.AlertsId, Str(body["channel"]));
        Assert.Matches(@"^\d+\.\d{6}$", Str(body["ts"]));
        Assert.Equal(Str(body["ts"]), Str(body["message"]!["ts"]));
        Assert.True(JsonNode.DeepEquals(request["blocks"], body["message"]!["blocks"]));

        var stored = Assert.Single(await Emulator.MessagesAsync(W.TeamId, W.AlertsId))!;
        Assert.Equal(Str(body["ts"]), Str(stored["ts"]));
        Assert.Equal(Str(request["text"]), Str(stored["text"]));
        Assert.True(JsonNode.DeepEquals(request["blocks"], stored["blocks"]));
    }

    [Fact]
    public async Task PostMessage_FormEncodedWithBlocksAsJsonString_IsAccepted()
    {
        var request = AlertRequest();
        var fields = new Dictionary<string, string>
        {
            ["channel"] = W.AlertsId,
            ["text"] = Str(request["text"]),
            ["blocks"] = request["blocks"]!.ToJsonString(),
            ["unfurl_links"] = "false",
        };

        var (_, body) = await Emulator.ApiFormAsync("chat.postMessage", Token, fields);

        Assert.True(body["ok"]!.GetValue<bool>(), body.ToJsonString());
        Assert.True(JsonNode.DeepEquals(request["blocks"], body["message"]!["blocks"]));
    }

    [Fact]
    public async Task PostMessage_WithMetadata_StoresAndReturnsMetadata()
    {
        var metadata = new { event_type = "signalcraft_notification", event_payload = new { group_id = "g_1", target_id = 7 } };

        var (_, body) = await Emulator.PostMessageAsync(Token, W.AlertsId, "alert", new { metadata });

        Assert.Equal("signalcraft_notification", Str(body["message"]!["metadata"]!["event_type"]));
        var stored = Assert.Single(await Emulator.MessagesAsync(W.TeamId, W.AlertsId))!;
        Assert.Equal(7, stored["metadata"]!["event_payload"]!["target_id"]!.GetValue<int>());
    }

    [Fact]
    public async Task PostMessage_MetadataWithoutEventType_ReturnsInvalidMetadataFormat()
    {
        var (_, body) = await Emulator.PostMessageAsync(Token, W.AlertsId, "alert", new { metadata = new { event_payload = new { } } });

        Assert.Equal("invalid_metadata_format", Str(body["error"]));
    }

    [Fact]
    public async Task PostMessage_ThreadTsWithReplyBroadcast_StoresReplyUnderParent()
    {
        var (_, parent) = await Emulator.PostMessageAsync(Token, W.AlertsId, "parent");
        var parentTs = Str(parent["ts"]);

        var (_, reply) = await Emulator.PostMessageAsync(Token, W.AlertsId, "reopened", new { thread_ts = parentTs, reply_broadcast = true });

        Assert.Equal(parentTs, Str(reply["message"]!["thread_ts"]));
        var messages = await Emulator.MessagesAsync(W.TeamId, W.AlertsId);
        var storedReply = messages.Single(m => Str(m!["ts"]) == Str(reply["ts"]))!;
        Assert.Equal(parentTs, Str(storedReply["threadTs"]));
        Assert.True(storedReply["replyBroadcast"]!.GetValue<bool>());
        var storedParent = messages.Single(m => Str(m!["ts"]) == parentTs)!;
        Assert.Equal(Str(reply["ts"]), Str(storedParent["replies"]![0]));
    }

    [Fact]
    public async Task PostMessage_UnknownThreadTsWhenRejectSwitchOn_ReturnsThreadNotFound()
    {
        await Emulator.PutAsync("/_emulator/behavior", new { rejectUnknownThreadTs = true });

        var (_, body) = await Emulator.PostMessageAsync(Token, W.AlertsId, "reply", new { thread_ts = "1700000000.000001" });

        Assert.Equal("thread_not_found", Str(body["error"]));
    }

    [Fact]
    public async Task PostMessage_PublicChannelBotNotIn_ReturnsNotInChannel()
    {
        var (_, body) = await Emulator.PostMessageAsync(Token, W.RandomId, "hello");

        Assert.Equal("not_in_channel", Str(body["error"]));
    }

    [Fact]
    public async Task PostMessage_PublicChannelWithChatWritePublic_Succeeds()
    {
        var token = await Emulator.InstallAsync(W.TeamId, ["chat:write", "chat:write.public"]);

        var (_, body) = await Emulator.PostMessageAsync(token, W.RandomId, "hello");

        Assert.True(body["ok"]!.GetValue<bool>(), body.ToJsonString());
    }

    [Fact]
    public async Task PostMessage_PrivateChannelBotNotIn_ReturnsChannelNotFound()
    {
        // A second app's bot has never been added to the private channel.
        var token = await Emulator.InstallAsync(W.TeamId, ["chat:write", "chat:write.public"], appId: "A0OTHER");

        var (_, body) = await Emulator.PostMessageAsync(token, W.SecretId, "hello");

        Assert.Equal("channel_not_found", Str(body["error"]));
    }

    [Fact]
    public async Task PostMessage_ArchivedChannel_ReturnsIsArchived()
    {
        var (_, body) = await Emulator.PostMessageAsync(Token, W.OldId, "hello");

        Assert.Equal("is_archived", Str(body["error"]));
    }

    [Fact]
    public async Task PostMessage_UnknownChannel_ReturnsChannelNotFound()
    {
        var (_, body) = await Emulator.PostMessageAsync(Token, "C0NOPE", "hello");

        Assert.Equal("channel_not_found", Str(body["error"]));
    }

    [Fact]
    public async Task PostMessage_WithoutChatWriteScope_ReturnsMissingScopeWithNeededAndProvided()
    {
        var token = await Emulator.InstallAsync(W.TeamId, ["channels:read"], joinChannels: [W.AlertsId]);

        var (_, body) = await Emulator.PostMessageAsync(token, W.AlertsId, "hello");

        Assert.Equal("missing_scope", Str(body["error"]));
        Assert.Equal("chat:write", Str(body["needed"]));
        Assert.Equal("channels:read", Str(body["provided"]));
        Assert.Empty(await Emulator.MessagesAsync(W.TeamId, W.AlertsId));
    }

    [Fact]
    public async Task PostMessage_NoTextNoBlocks_ReturnsNoText()
    {
        var (_, body) = await Emulator.ApiJsonAsync("chat.postMessage", Token, new { channel = W.AlertsId });

        Assert.Equal("no_text", Str(body["error"]));
    }

    [Fact]
    public async Task PostMessage_ChannelByName_PostsToThatChannel()
    {
        var (_, body) = await Emulator.PostMessageAsync(Token, "#alerts", "by name");

        Assert.Equal(W.AlertsId, Str(body["channel"]));
    }

    [Fact]
    public async Task PostMessage_UserIdAsChannel_PostsToDirectMessage()
    {
        var (_, body) = await Emulator.PostMessageAsync(Token, W.AliceId, "psst");

        Assert.True(body["ok"]!.GetValue<bool>(), body.ToJsonString());
        Assert.StartsWith("D", Str(body["channel"]));
    }

    [Fact]
    public async Task PostMessage_FrozenClock_TsFollowsClockAndStrictlyIncreases()
    {
        await Emulator.SetRateLimitsAsync(new { enabled = false });
        await Emulator.SetClockAsync(DateTimeOffset.FromUnixTimeSeconds(1_718_035_200));

        var first = Str((await Emulator.PostMessageAsync(Token, W.AlertsId, "one")).Body["ts"]);
        var second = Str((await Emulator.PostMessageAsync(Token, W.AlertsId, "two")).Body["ts"]);

        Assert.Equal("1718035200.000000", first);
        Assert.Equal("1718035200.000001", second);
    }

    [Fact]
    public async Task PostMessage_ManyConcurrentPosts_AllStoredWithUniqueTsPerChannel()
    {
        await Emulator.SetRateLimitsAsync(new { enabled = false });
        var channels = new[] { W.AlertsId, W.SecretId };

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            Emulator.PostMessageAsync(Token, channels[i % 2], $"storm {i}")));

        Assert.All(results, r => Assert.True(r.Body["ok"]!.GetValue<bool>(), r.Body.ToJsonString()));
        foreach (var channel in channels)
        {
            var messages = await Emulator.MessagesAsync(W.TeamId, channel);
            Assert.Equal(200, messages.Count);
            Assert.Equal(200, messages.Select(m => Str(m!["ts"])).Distinct().Count());
        }
    }

    [Fact]
    public async Task PostMessage_TextOver40000_TruncatesWithWarning()
    {
        var (_, body) = await Emulator.PostMessageAsync(Token, W.AlertsId, new string('x', 40_010));

        Assert.True(body["ok"]!.GetValue<bool>());
        Assert.Equal("message_truncated", Str(body["warning"]));
        Assert.Equal(40_000, Str(body["message"]!["text"]).Length);
    }

    [Fact]
    public async Task PostMessage_GeneratedBlockIds_AreAddedWhenMissing()
    {
        var blocks = JsonSerializer.SerializeToNode(new[] { new { type = "section", text = new { type = "mrkdwn", text = "hi" } } });

        var (_, body) = await Emulator.PostMessageAsync(Token, W.AlertsId, "hi", new { blocks });

        Assert.False(string.IsNullOrEmpty(Str(body["message"]!["blocks"]![0]!["block_id"])));
    }
}
