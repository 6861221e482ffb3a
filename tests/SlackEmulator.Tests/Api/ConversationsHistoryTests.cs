using System.Net;
using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Api;

/// <summary>conversations.history: windows, paging, metadata read-back and the low limit switch.</summary>
public sealed class ConversationsHistoryTests(EmulatorHost host) : EmulatorTest(host)
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Emulator.SetRateLimitsAsync(new { enabled = false });
        await Emulator.SetClockAsync(DateTimeOffset.FromUnixTimeSeconds(1_718_000_000));
    }

    private Task<(HttpResponseMessage Response, System.Text.Json.Nodes.JsonObject Body)> HistoryAsync(params (string Key, string Value)[] args)
    {
        var fields = args.ToDictionary(a => a.Key, a => a.Value);
        fields.TryAdd("channel", W.AlertsId);
        return Emulator.ApiFormAsync("conversations.history", Token, fields);
    }

    private async Task<List<string>> PostSecondsApartAsync(int count)
    {
        var ts = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var metadata = new { event_type = "signalcraft_notification", event_payload = new { attempt = i } };
            ts.Add(Str((await Emulator.PostMessageAsync(Token, W.AlertsId, $"m{i}", new { metadata })).Body["ts"]));
            await Emulator.AdvanceAsync(1);
        }

        return ts;
    }

    [Fact]
    public async Task History_IncludeAllMetadata_ReturnsMetadataOnMessages()
    {
        await PostSecondsApartAsync(2);

        var (_, with) = await HistoryAsync(("include_all_metadata", "true"));
        var (_, without) = await HistoryAsync();

        Assert.All(with["messages"]!.AsArray(), m => Assert.Equal("signalcraft_notification", Str(m!["metadata"]!["event_type"])));
        Assert.Equal(1, with["messages"]![0]!["metadata"]!["event_payload"]!["attempt"]!.GetValue<int>());
        Assert.All(without["messages"]!.AsArray(), m => Assert.Null(m!["metadata"]));
    }

    [Fact]
    public async Task History_OldestAndLimit_ReturnsWindowNewestFirstAndPagesWithCursor()
    {
        var ts = await PostSecondsApartAsync(5);

        var (_, first) = await HistoryAsync(("oldest", ts[0]), ("limit", "2"));
        var (_, second) = await HistoryAsync(("oldest", ts[0]), ("limit", "2"), ("cursor", Str(first["response_metadata"]!["next_cursor"])));

        Assert.Equal([ts[4], ts[3]], first["messages"]!.AsArray().Select(m => Str(m!["ts"])));
        Assert.True(first["has_more"]!.GetValue<bool>());
        Assert.Equal([ts[2], ts[1]], second["messages"]!.AsArray().Select(m => Str(m!["ts"])));
        Assert.False(second["has_more"]!.GetValue<bool>());
    }

    [Fact]
    public async Task History_LatestInclusive_IncludesBoundaryMessage()
    {
        var ts = await PostSecondsApartAsync(3);

        var (_, exclusive) = await HistoryAsync(("latest", ts[1]));
        var (_, inclusive) = await HistoryAsync(("latest", ts[1]), ("inclusive", "true"));

        Assert.Equal([ts[0]], exclusive["messages"]!.AsArray().Select(m => Str(m!["ts"])));
        Assert.Equal([ts[1], ts[0]], inclusive["messages"]!.AsArray().Select(m => Str(m!["ts"])));
    }

    [Fact]
    public async Task History_ThreadReplies_OnlyBroadcastRepliesAppear()
    {
        var parent = Str((await Emulator.PostMessageAsync(Token, W.AlertsId, "parent")).Body["ts"]);
        await Emulator.PostMessageAsync(Token, W.AlertsId, "quiet reply", new { thread_ts = parent });
        var broadcast = Str((await Emulator.PostMessageAsync(Token, W.AlertsId, "loud reply", new { thread_ts = parent, reply_broadcast = true })).Body["ts"]);

        var (_, body) = await HistoryAsync();

        var messages = body["messages"]!.AsArray();
        Assert.Equal([broadcast, parent], messages.Select(m => Str(m!["ts"])));
        Assert.Equal(2, messages[1]!["reply_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task History_LowLimitSwitch_CapsPageAt15AndAllowsOneCallPerMinute()
    {
        await PostSecondsApartAsync(20);
        await Emulator.SetRateLimitsAsync(new { lowHistoryLimit = true });

        var (_, first) = await HistoryAsync(("limit", "100"));
        var (limited, _) = await HistoryAsync();
        await Emulator.AdvanceAsync(60);
        var (_, afterMinute) = await HistoryAsync();

        Assert.Equal(15, first["messages"]!.AsArray().Count);
        Assert.True(first["has_more"]!.GetValue<bool>());
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.True(afterMinute["ok"]!.GetValue<bool>());
        Assert.Equal(15, afterMinute["messages"]!.AsArray().Count);
    }

    [Fact]
    public async Task History_WithoutLowLimit_ReturnsUpToDefaultHundred()
    {
        await PostSecondsApartAsync(20);

        var (_, body) = await HistoryAsync();

        Assert.Equal(20, body["messages"]!.AsArray().Count);
        Assert.False(body["has_more"]!.GetValue<bool>());
    }

    [Fact]
    public async Task History_BotNotInChannel_ReturnsNotInChannel()
    {
        var (_, body) = await HistoryAsync(("channel", W.RandomId));

        Assert.Equal("not_in_channel", Str(body["error"]));
    }

    [Fact]
    public async Task History_WithoutHistoryScope_ReturnsMissingScope()
    {
        var token = await Emulator.InstallAsync(W.TeamId, ["chat:write"]);

        var (_, body) = await Emulator.ApiFormAsync("conversations.history", token, new Dictionary<string, string> { ["channel"] = W.AlertsId });

        Assert.Equal("missing_scope", Str(body["error"]));
        Assert.Equal("channels:history", Str(body["needed"]));
    }
}
