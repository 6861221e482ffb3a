using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Web;
using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Interactivity;

/// <summary>Clicks through the control API: a signed block_actions callback reaches the app's Request URL.</summary>
public sealed class InteractivityTests(EmulatorHost host) : EmulatorTest(host)
{
    private const string Secret = "signalcraft-test-signing-secret";
    private const long Now = 1_718_035_560;
    private CallbackReceiver _receiver = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Emulator.SetClockAsync(DateTimeOffset.FromUnixTimeSeconds(Now));
        _receiver = await CallbackReceiver.StartAsync();
        await Emulator.PutAsync("/_emulator/apps/A0EMULATOR", new { signingSecret = Secret, requestUrl = _receiver.Url });
    }

    private async Task<string> PostAlertAsync()
    {
        var request = Fixtures.Json("chat.postMessage.alert.request.json");
        request["channel"] = W.AlertsId;
        var blocks = request["blocks"]!.AsArray();
        blocks.Add(JsonNode.Parse("""
            {"type":"actions","block_id":"snooze:g_7f3a9c:v1","elements":[{"type":"static_select","action_id":"signalcraft.snooze",
             "placeholder":{"type":"plain_text","text":"Snooze for…"},
             "options":[{"text":{"type":"plain_text","text":"1 hour"},"value":"3600"},{"text":{"type":"plain_text","text":"4 hours"},"value":"14400"}]}]}
            """));
        var (_, body) = await Emulator.ApiJsonAsync("chat.postMessage", Token, request);
        return Str(body["ts"]);
    }

    private Task<JsonNode?> ClickAsync(string ts, string actionId, string? selectedValue = null, string? sabotage = null) =>
        Emulator.PostAsync("/_emulator/click", new { teamId = W.TeamId, channel = W.AlertsId, ts, actionId, userId = W.BobId, selectedValue, sabotage });

    private static JsonObject PayloadOf(ReceivedCallback callback) =>
        JsonNode.Parse(HttpUtility.ParseQueryString(callback.Body)["payload"]!)!.AsObject();

    [Fact]
    public async Task Click_AckButton_SendsSignedBlockActionsNamingActionAndMessage()
    {
        var ts = await PostAlertAsync();

        var result = await ClickAsync(ts, "signalcraft.ack");

        Assert.Equal(200, result!["status"]!.GetValue<int>());
        var callback = Assert.Single(_receiver.Received);
        Assert.Equal("application/x-www-form-urlencoded", callback.ContentType);
        Assert.StartsWith("payload=", callback.Body);
        Assert.True(ReferenceVerifier.IsValid(Secret, callback.Timestamp, callback.Signature, callback.RawBody, Now));
        var payload = PayloadOf(callback);
        Fixtures.AssertHasKeysOf(Fixtures.Json("block_actions.ack.payload.json"), payload);
        Assert.Equal("block_actions", Str(payload["type"]));
        Assert.Equal(W.TeamId, Str(payload["team"]!["id"]));
        Assert.Equal(W.BobId, Str(payload["user"]!["id"]));
        Assert.Equal(W.AlertsId, Str(payload["channel"]!["id"]));
        Assert.Equal(ts, Str(payload["message"]!["ts"]));
        Assert.Equal(ts, Str(payload["container"]!["message_ts"]));
        Assert.Equal("A0EMULATOR", Str(payload["api_app_id"]));
        var action = Assert.Single(payload["actions"]!.AsArray())!;
        Assert.Equal("signalcraft.ack", Str(action["action_id"]));
        Assert.Equal("actions:g_7f3a9c:v1", Str(action["block_id"]));
        Assert.Equal("g_7f3a9c", Str(action["value"]));
        Assert.Equal("1718035560.000000", Str(action["action_ts"]));
        Assert.StartsWith(Host.BaseAddress + "actions/" + W.TeamId + "/", Str(payload["response_url"]));
        Assert.False(string.IsNullOrEmpty(Str(payload["trigger_id"])));
    }

    [Fact]
    public async Task Click_TimestampHeader_FollowsEmulatorClock()
    {
        var ts = await PostAlertAsync();
        await Emulator.AdvanceAsync(90);

        await ClickAsync(ts, "signalcraft.ack");

        Assert.Equal((Now + 90).ToString(), Assert.Single(_receiver.Received).Timestamp);
    }

    [Fact]
    public async Task Click_StaticSelectOption_SendsSelectedOption()
    {
        var ts = await PostAlertAsync();

        await ClickAsync(ts, "signalcraft.snooze", selectedValue: "14400");

        var action = PayloadOf(Assert.Single(_receiver.Received))["actions"]![0]!;
        Assert.Equal("static_select", Str(action["type"]));
        Assert.Equal("14400", Str(action["selected_option"]!["value"]));
        Assert.Equal("4 hours", Str(action["selected_option"]!["text"]!["text"]));
    }

    [Theory]
    [InlineData("stale_timestamp")]
    [InlineData("bad_signature")]
    [InlineData("tampered_body")]
    public async Task Click_Sabotaged_IsRejectedByReferenceVerifier(string sabotage)
    {
        var ts = await PostAlertAsync();

        await ClickAsync(ts, "signalcraft.ack", sabotage: sabotage);

        var callback = Assert.Single(_receiver.Received);
        Assert.False(ReferenceVerifier.IsValid(Secret, callback.Timestamp, callback.Signature, callback.RawBody, Now));
    }

    [Fact]
    public async Task Click_AppAnswers500_StatusIsReportedBack()
    {
        var ts = await PostAlertAsync();
        _receiver.StatusCode = 500;

        var result = await ClickAsync(ts, "signalcraft.ack");

        Assert.Equal(500, result!["status"]!.GetValue<int>());
        var logged = Assert.Single((await Emulator.GetAsync("/_emulator/callbacks"))!.AsArray())!;
        Assert.Equal(500, logged["status"]!.GetValue<int>());
        Assert.Equal("signalcraft.ack", Str(logged["actionId"]));
    }

    [Fact]
    public async Task Click_TeamInteractivityOverride_UsesTeamUrlAndSecret()
    {
        await using var teamReceiver = await CallbackReceiver.StartAsync();
        await Emulator.PutAsync($"/_emulator/teams/{W.TeamId}/interactivity", new { requestUrl = teamReceiver.Url, signingSecret = "team-secret" });
        var ts = await PostAlertAsync();

        await ClickAsync(ts, "signalcraft.ack");

        Assert.Empty(_receiver.Received);
        var callback = Assert.Single(teamReceiver.Received);
        Assert.True(ReferenceVerifier.IsValid("team-secret", callback.Timestamp, callback.Signature, callback.RawBody, Now));
    }

    [Fact]
    public async Task ResponseUrl_ReplaceOriginal_UpdatesMessageAndKeepsHistory()
    {
        var ts = await PostAlertAsync();
        var responseUrl = Str((await ClickAsync(ts, "signalcraft.ack"))!["responseUrl"]);

        var response = await Host.Http.PostAsJsonAsync(responseUrl, new { replace_original = true, delete_original = false, text = "Acked by bob" }, Ct);

        Assert.Equal("{\"ok\":true}", await response.Content.ReadAsStringAsync(Ct));
        var stored = Assert.Single(await Emulator.MessagesAsync(W.TeamId, W.AlertsId))!;
        Assert.Equal("Acked by bob", Str(stored["text"]));
        Assert.Equal("response_url replace_original", Str(stored["history"]![0]!["replacedBy"]));
    }

    [Fact]
    public async Task ResponseUrl_DefaultReply_IsEphemeralForTheClickingUser()
    {
        var ts = await PostAlertAsync();
        var responseUrl = Str((await ClickAsync(ts, "signalcraft.ack"))!["responseUrl"]);

        await Host.Http.PostAsJsonAsync(responseUrl, new { text = "Only you can see this" }, Ct);

        var all = await Emulator.MessagesAsync(W.TeamId, W.AlertsId, includeEphemeral: true);
        var ephemeral = all.Single(m => m!["ephemeral"]!.GetValue<bool>())!;
        Assert.Equal(W.BobId, Str(ephemeral["visibleTo"]));
        Assert.Single(await Emulator.MessagesAsync(W.TeamId, W.AlertsId));
    }

    [Fact]
    public async Task ResponseUrl_SixthUse_IsRefused()
    {
        var ts = await PostAlertAsync();
        var responseUrl = Str((await ClickAsync(ts, "signalcraft.ack"))!["responseUrl"]);

        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((int)(await Host.Http.PostAsJsonAsync(responseUrl, new { replace_original = true, text = $"v{i}" }, Ct)).StatusCode);
        }

        Assert.Equal([200, 200, 200, 200, 200, 404], statuses);
    }

    [Fact]
    public async Task ResponseUrl_After30Minutes_IsRefusedAsExpired()
    {
        var ts = await PostAlertAsync();
        var responseUrl = Str((await ClickAsync(ts, "signalcraft.ack"))!["responseUrl"]);
        await Emulator.AdvanceAsync(30 * 60);

        var response = await Host.Http.PostAsJsonAsync(responseUrl, new { replace_original = true, text = "late" }, Ct);

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Contains("expired_url", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Click_NoRequestUrlConfigured_IsRefusedWithReason()
    {
        await Emulator.PutAsync("/_emulator/apps/A0EMULATOR", new { requestUrl = "" });
        var ts = await PostAlertAsync();

        var response = await Host.Http.PostAsJsonAsync("/_emulator/click", new { teamId = W.TeamId, channel = W.AlertsId, ts, actionId = "signalcraft.ack" }, Ct);

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Contains("no_request_url", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Click_UnknownAction_IsRefusedWithReason()
    {
        var ts = await PostAlertAsync();

        var response = await Host.Http.PostAsJsonAsync("/_emulator/click", new { teamId = W.TeamId, channel = W.AlertsId, ts, actionId = "nope" }, Ct);

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Contains("action_not_found", await response.Content.ReadAsStringAsync(Ct));
        Assert.Empty(_receiver.Received);
    }

    public override async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await base.DisposeAsync();
    }
}
