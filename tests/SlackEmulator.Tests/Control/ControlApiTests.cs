using System.Net;
using System.Net.Http.Json;
using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Control;

/// <summary>The control API: clock, reset, read-back of calls and messages, workspace set-up.</summary>
public sealed class ControlApiTests(EmulatorHost host) : EmulatorTest(host)
{
    [Fact]
    public async Task Clock_SetFrozenThenAdvance_MovesReportedTime()
    {
        await Emulator.SetClockAsync(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

        var before = await Emulator.GetAsync("/_emulator/clock");
        var after = await Emulator.PostAsync("/_emulator/clock/advance", new { seconds = 90.5 });

        Assert.Equal(1_700_000_000, before!["unixSeconds"]!.GetValue<long>());
        Assert.True(before["frozen"]!.GetValue<bool>());
        Assert.Equal("1700000090.500000", Str(after!["ts"]));
    }

    [Fact]
    public async Task Clock_SetRunning_KeepsTicking()
    {
        await Emulator.SetClockAsync(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), frozen: false);
        await Task.Delay(50, Ct);

        var now = await Emulator.GetAsync("/_emulator/clock");

        Assert.False(now!["frozen"]!.GetValue<bool>());
        Assert.InRange(now["now"]!.GetValue<DateTimeOffset>(), DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddMilliseconds(40),
            DateTimeOffset.FromUnixTimeSeconds(1_700_000_060));
    }

    [Fact]
    public async Task Reset_ClearsTeamsMessagesCallsAndClock()
    {
        await Emulator.SetClockAsync(DateTimeOffset.FromUnixTimeSeconds(1_000_000_000));
        await Emulator.PostMessageAsync(Token, W.AlertsId, "before reset");

        await Emulator.ResetAsync();

        Assert.Empty((await Emulator.GetAsync("/_emulator/teams"))!.AsArray());
        Assert.Empty(await Emulator.CallsAsync());
        Assert.Empty((await Emulator.GetAsync("/_emulator/messages"))!.AsArray());
        Assert.False((await Emulator.GetAsync("/_emulator/clock"))!["frozen"]!.GetValue<bool>());
        var (_, body) = await Emulator.ApiJsonAsync("auth.test", Token, new { });
        Assert.Equal("invalid_auth", Str(body["error"]));
    }

    [Fact]
    public async Task Calls_RecordMethodTimeTeamChannelAndOutcome()
    {
        await Emulator.SetClockAsync(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await Emulator.PostMessageAsync(Token, W.AlertsId, "ok");
        await Emulator.PostMessageAsync(Token, W.RandomId, "refused");

        var calls = await Emulator.CallsAsync("chat.postMessage");

        Assert.Equal(2, calls.Count);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), calls[0]!["time"]!.GetValue<DateTimeOffset>());
        Assert.Equal(W.TeamId, Str(calls[0]!["teamId"]));
        Assert.Equal([W.AlertsId, W.RandomId], calls.Select(c => Str(c!["channel"])));
        Assert.Equal(["ok", "not_in_channel"], calls.Select(c => Str(c!["outcome"])));
    }

    [Fact]
    public async Task Messages_ReadBack_IncludesThreadEditsAndMetadata()
    {
        var metadata = new { event_type = "signalcraft_notification", event_payload = new { group = "g1" } };
        var parent = Str((await Emulator.PostMessageAsync(Token, W.AlertsId, "v1", new { metadata })).Body["ts"]);
        await Emulator.ApiJsonAsync("chat.update", Token, new { channel = W.AlertsId, ts = parent, text = "v2" });
        var reply = Str((await Emulator.PostMessageAsync(Token, W.AlertsId, "reply", new { thread_ts = parent })).Body["ts"]);

        var messages = await Emulator.MessagesAsync(W.TeamId, W.AlertsId);

        var top = messages.Single(m => Str(m!["ts"]) == parent)!;
        Assert.Equal("v2", Str(top["text"]));
        Assert.Equal("v1", Str(top["history"]![0]!["text"]));
        Assert.Equal("g1", Str(top["metadata"]!["event_payload"]!["group"]));
        Assert.Equal(parent, Str(messages.Single(m => Str(m!["ts"]) == reply)!["threadTs"]));
    }

    [Fact]
    public async Task CreateTeam_DuplicateId_Returns409()
    {
        var response = await Host.Http.PostAsJsonAsync("/_emulator/teams", new { id = W.TeamId, name = "again" }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task UpdateChannel_RemoveBot_PostsThenFailWithNotInChannel()
    {
        var botUserId = Str((await Emulator.ApiJsonAsync("auth.test", Token, new { })).Body["user_id"]);

        await Emulator.SendAsync(HttpMethod.Patch, $"/_emulator/teams/{W.TeamId}/channels/{W.AlertsId}", new { removeMembers = new[] { botUserId } });
        var (_, body) = await Emulator.PostMessageAsync(Token, W.AlertsId, "x");

        Assert.Equal("not_in_channel", Str(body["error"]));
    }

    [Fact]
    public async Task Failures_List_ShowsRuleAndHits()
    {
        await Emulator.AddFailureAsync(new { method = "auth.test", kind = "ratelimited", count = 3 });
        await Emulator.ApiJsonAsync("auth.test", Token, new { });

        var rule = Assert.Single((await Emulator.GetAsync("/_emulator/failures"))!.AsArray())!;

        Assert.Equal(1, rule["hits"]!.GetValue<int>());
        Assert.Equal(2, rule["remainingCount"]!.GetValue<int>());
    }
}
