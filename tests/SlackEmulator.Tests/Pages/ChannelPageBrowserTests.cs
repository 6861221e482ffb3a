using System.Text.Json.Nodes;
using System.Web;
using Microsoft.Playwright;
using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Pages;

/// <summary>The channel page in headless Chromium: a real click reaches the app with a valid signature.</summary>
public sealed class ChannelPageBrowserTests(EmulatorHost host) : EmulatorTest(host)
{
    private const string Secret = "browser-test-signing-secret";

    [Fact]
    public async Task ChannelPage_ClickAcknowledgeInChromium_ReceiverGetsSignedPayloadForThatMessage()
    {
        var chromium = Chromium.RequirePath();
        await using var receiver = await CallbackReceiver.StartAsync();
        await Emulator.PutAsync("/_emulator/apps/A0EMULATOR", new { signingSecret = Secret, requestUrl = receiver.Url });
        var request = Fixtures.Json("chat.postMessage.alert.request.json");
        request["channel"] = W.AlertsId;
        var ts = Str((await Emulator.ApiJsonAsync("chat.postMessage", Token, request)).Body["ts"]);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            Headless = true,
            ExecutablePath = chromium,
            Args = Chromium.Args,
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(Host.BaseAddress, $"/_emulator/channels/{W.TeamId}/{W.AlertsId}?user={W.AliceId}").ToString());

        var message = page.Locator($"[data-ts='{ts}']");
        await Assertions.Expect(message.GetByRole(AriaRole.Heading)).ToContainTextAsync("CRITICAL: NullReferenceException in PaymentService");
        await Assertions.Expect(message.GetByRole(AriaRole.Button, new() { Name = "Snooze 1h" })).ToBeVisibleAsync();
        await message.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Assertions.Expect(page.Locator("#last-click-status")).ToHaveTextAsync("HTTP 200");

        var callback = Assert.Single(receiver.Received);
        var now = (await Emulator.GetAsync("/_emulator/clock"))!["unixSeconds"]!.GetValue<long>();
        Assert.True(ReferenceVerifier.IsValid(Secret, callback.Timestamp, callback.Signature, callback.RawBody, now));
        var payload = JsonNode.Parse(HttpUtility.ParseQueryString(callback.Body)["payload"]!)!;
        Assert.Equal("signalcraft.ack", Str(payload["actions"]![0]!["action_id"]));
        Assert.Equal(ts, Str(payload["message"]!["ts"]));
        Assert.Equal(W.AliceId, Str(payload["user"]!["id"]));
    }
}
