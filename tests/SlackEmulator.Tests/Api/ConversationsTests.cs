using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Api;

/// <summary>conversations.list (cursor paging, types, visibility) and conversations.join.</summary>
public sealed class ConversationsTests(EmulatorHost host) : EmulatorTest(host)
{
    private Task<(HttpResponseMessage Response, System.Text.Json.Nodes.JsonObject Body)> ListAsync(params (string Key, string Value)[] args) =>
        Emulator.ApiFormAsync("conversations.list", Token, args.ToDictionary(a => a.Key, a => a.Value));

    [Fact]
    public async Task List_LimitTwo_WalksPagesUntilEmptyCursorWithFixtureShape()
    {
        var ids = new List<string>();
        var cursor = "";
        var pages = 0;
        do
        {
            var (_, body) = await ListAsync(("limit", "2"), ("cursor", cursor), ("types", "public_channel,private_channel"));
            Assert.True(body["ok"]!.GetValue<bool>(), body.ToJsonString());
            Fixtures.AssertHasKeysOf(Fixtures.Json("conversations.list.page1.json"), body);
            foreach (var channel in body["channels"]!.AsArray())
            {
                Fixtures.AssertHasKeysOf(Fixtures.Json("conversations.list.page1.json")["channels"]![0]!.AsObject(), channel!.AsObject());
                ids.Add(Str(channel["id"]));
            }

            cursor = Str(body["response_metadata"]!["next_cursor"]);
            pages++;
        }
        while (cursor != "" && pages < 10);

        Assert.Equal(2, pages);
        Assert.Equal([W.AlertsId, W.RandomId, W.SecretId, W.OldId], ids);
    }

    [Fact]
    public async Task List_DefaultTypes_ShowsPublicOnlyWithMembership()
    {
        var (_, body) = await ListAsync();

        var channels = body["channels"]!.AsArray();
        Assert.DoesNotContain(channels, c => Str(c!["id"]) == W.SecretId);
        Assert.True(channels.Single(c => Str(c!["id"]) == W.AlertsId)!["is_member"]!.GetValue<bool>());
        Assert.False(channels.Single(c => Str(c!["id"]) == W.RandomId)!["is_member"]!.GetValue<bool>());
    }

    [Fact]
    public async Task List_PrivateChannelsWithoutGroupsRead_ReturnsMissingScope()
    {
        var token = await Emulator.InstallAsync(W.TeamId, ["channels:read"]);

        var (_, body) = await Emulator.ApiFormAsync("conversations.list", token, new Dictionary<string, string> { ["types"] = "private_channel" });

        Assert.Equal("missing_scope", Str(body["error"]));
        Assert.Equal("groups:read", Str(body["needed"]));
    }

    [Fact]
    public async Task List_ExcludeArchived_FiltersAfterSlicingSoPageCanBeShort()
    {
        // Page 2 of size 2 is [secret, old]; private is not asked for and old is archived: an empty page, not the end.
        var (_, first) = await ListAsync(("limit", "2"), ("exclude_archived", "true"));
        var (_, second) = await ListAsync(("limit", "2"), ("exclude_archived", "true"), ("cursor", Str(first["response_metadata"]!["next_cursor"])));

        Assert.Equal(2, first["channels"]!.AsArray().Count);
        Assert.Empty(second["channels"]!.AsArray());
        Assert.Equal("", Str(second["response_metadata"]!["next_cursor"]));
    }

    [Fact]
    public async Task List_BadCursor_ReturnsInvalidCursor()
    {
        var (_, body) = await ListAsync(("cursor", "bm90LWEtY3Vyc29y"));

        Assert.Equal("invalid_cursor", Str(body["error"]));
    }

    [Fact]
    public async Task List_BadLimit_ReturnsInvalidLimit()
    {
        var (_, body) = await ListAsync(("limit", "zero"));

        Assert.Equal("invalid_limit", Str(body["error"]));
    }

    [Fact]
    public async Task Join_PublicChannel_MakesBotMemberSoPostSucceeds()
    {
        var (_, join) = await Emulator.ApiJsonAsync("conversations.join", Token, new { channel = W.RandomId });
        var (_, post) = await Emulator.PostMessageAsync(Token, W.RandomId, "now I can");

        Fixtures.AssertHasKeysOf(Fixtures.Json("conversations.join.response.ok.json"), join);
        Fixtures.AssertHasKeysOf(Fixtures.Json("conversations.join.response.ok.json")["channel"]!.AsObject(), join["channel"]!.AsObject());
        Assert.True(join["channel"]!["is_member"]!.GetValue<bool>());
        Assert.Null(join["warning"]);
        Assert.True(post["ok"]!.GetValue<bool>(), post.ToJsonString());
    }

    [Fact]
    public async Task Join_AlreadyMember_ReturnsOkWithAlreadyInChannelWarning()
    {
        var (_, body) = await Emulator.ApiJsonAsync("conversations.join", Token, new { channel = W.AlertsId });

        Fixtures.AssertHasKeysOf(Fixtures.Json("conversations.join.response.already.json"), body);
        Assert.Equal("already_in_channel", Str(body["warning"]));
        Assert.Equal("already_in_channel", Str(body["response_metadata"]!["warnings"]![0]));
    }

    [Fact]
    public async Task Join_PrivateChannel_ReturnsMethodNotSupported()
    {
        var (_, body) = await Emulator.ApiJsonAsync("conversations.join", Token, new { channel = W.SecretId });

        Assert.Equal("method_not_supported_for_channel_type", Str(body["error"]));
    }

    [Fact]
    public async Task Join_ArchivedChannel_ReturnsIsArchived()
    {
        var (_, body) = await Emulator.ApiJsonAsync("conversations.join", Token, new { channel = W.OldId });

        Assert.Equal("is_archived", Str(body["error"]));
    }

    [Fact]
    public async Task Join_WithoutChannelsJoinScope_ReturnsMissingScope()
    {
        var token = await Emulator.InstallAsync(W.TeamId, ["chat:write"]);

        var (_, body) = await Emulator.ApiJsonAsync("conversations.join", token, new { channel = W.RandomId });

        Assert.Equal("missing_scope", Str(body["error"]));
        Assert.Equal("channels:join", Str(body["needed"]));
    }
}
