using System.Net;
using System.Net.Http.Json;
using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Pages;

/// <summary>The server-rendered channel page, fetched and submitted with plain HTTP (no browser).</summary>
public sealed class ChannelPageTests(EmulatorHost host) : EmulatorTest(host)
{
    private string PageUrl => $"/_emulator/channels/{W.TeamId}/{W.AlertsId}";

    private async Task<string> PostAlertAsync()
    {
        var request = Fixtures.Json("chat.postMessage.alert.request.json");
        request["channel"] = W.AlertsId;
        return Str((await Emulator.ApiJsonAsync("chat.postMessage", Token, request)).Body["ts"]);
    }

    [Fact]
    public async Task ChannelPage_AlertMessage_RendersBlocksAndButtons()
    {
        var ts = await PostAlertAsync();

        var html = await Host.Http.GetStringAsync(PageUrl, Ct);

        Assert.Contains($"id=\"msg-{ts}\"", html);
        Assert.Contains("CRITICAL: NullReferenceException in PaymentService", html);
        Assert.Contains("<b>checkout-api</b>", html);
        Assert.Contains("<code>NullReferenceException</code>", html);
        Assert.Contains("@here", html);
        Assert.Contains("<a href=\"https://signalcraft.example.com/groups/g_7f3a9c\"", html);
        Assert.Contains("class=\"primary\"", html);
        Assert.Contains(">Acknowledge</button>", html);
        Assert.Contains(">Snooze 1h</button>", html);
        Assert.Contains("return confirm(", html);
    }

    [Fact]
    public async Task ChannelPage_EditedMessageAndThreadReply_ShowEditedMarkerAndReply()
    {
        var ts = await PostAlertAsync();
        await Emulator.ApiJsonAsync("chat.update", Token, new { channel = W.AlertsId, ts, text = "[ACKED]" });
        await Emulator.PostMessageAsync(Token, W.AlertsId, "Escalated to on-call", new { thread_ts = ts });

        var html = await Host.Http.GetStringAsync(PageUrl, Ct);

        Assert.Contains("(edited)", html);
        Assert.Contains($"data-thread-ts=\"{ts}\"", html);
        Assert.Contains("Escalated to on-call", html);
    }

    [Fact]
    public async Task ChannelPage_MessageWithMarkup_IsEncodedNotInjected()
    {
        await Emulator.PostMessageAsync(Token, W.AlertsId, "&lt;script&gt;alert(1)&lt;/script&gt; <javascript:alert(1)|click>");

        var html = await Host.Http.GetStringAsync(PageUrl, Ct);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>alert(1)", html);
        Assert.DoesNotContain("href=\"javascript:", html);
    }

    [Fact]
    public async Task ChannelPage_ClickFormPost_SendsCallbackAndShowsAppStatus()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        receiver.StatusCode = 200;
        await Emulator.PutAsync("/_emulator/apps/A0EMULATOR", new { requestUrl = receiver.Url });
        var ts = await PostAlertAsync();

        var response = await Host.Http.PostAsync($"{PageUrl}/click", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ts"] = ts, ["action_id"] = "signalcraft.ack", ["block_id"] = "actions:g_7f3a9c:v1", ["user"] = W.AliceId,
        }), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<strong id=\"last-click-status\">HTTP 200</strong>", html);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task ChannelPage_EphemeralReply_ShownOnlyToTheClickingUser()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await Emulator.PutAsync("/_emulator/apps/A0EMULATOR", new { requestUrl = receiver.Url });
        var ts = await PostAlertAsync();
        var click = await Emulator.PostAsync("/_emulator/click", new { teamId = W.TeamId, channel = W.AlertsId, ts, actionId = "signalcraft.ack", userId = W.BobId });
        await Host.Http.PostAsJsonAsync(Str(click!["responseUrl"]), new { text = "You acknowledged this alert" }, Ct);

        var asBob = await Host.Http.GetStringAsync($"{PageUrl}?user={W.BobId}", Ct);
        var asAlice = await Host.Http.GetStringAsync($"{PageUrl}?user={W.AliceId}", Ct);

        Assert.Contains("You acknowledged this alert", asBob);
        Assert.Contains("Only visible to you", asBob);
        Assert.DoesNotContain("You acknowledged this alert", asAlice);
    }

    [Fact]
    public async Task ChannelPage_UnknownChannel_Returns404()
    {
        var response = await Host.Http.GetAsync($"/_emulator/channels/{W.TeamId}/C0NOPE", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
