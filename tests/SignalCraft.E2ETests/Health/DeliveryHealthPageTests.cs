using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Health;

/// <summary>
/// The Delivery Health page during an outage injected in the Slack emulator: what it says, and Retry from the page.
/// </summary>
public sealed class DeliveryHealthPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task RevokedToken_AfterOneAuthTestCycle_PageShowsRedSlackRowWithReason()
    {
        await using var j = await SlackJourney.StartAsync(browser, new BrowserNewContextOptions
        {
            ViewportSize = new() { Width = 1366, Height = 860 }, TimezoneId = "Europe/Berlin",
        });
        var s = j.S;
        await s.SendAsync("event_alert.error.production");
        await s.SendAsync("event_alert.fatal.production");
        await j.WaitForMessagesAsync(2);
        await s.SignInAsync();
        var page = s.Page;

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Delivery" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/health/delivery$"));
        var connection = page.Locator(".panel[data-connection]");
        await Expect(connection).ToHaveAttributeAsync("data-state", "green");
        await Expect(connection.GetByTestId("token")).ToHaveTextAsync("works");

        await j.Emulator.PostAsync("/_emulator/tokens/revoke", new { token = await j.BotTokenAsync() });
        // Nothing is sent meanwhile: only the scheduled auth.test can notice. A reload shows it once it has run.
        await Eventually.WaitAsync(async () =>
        {
            await page.ReloadAsync();
            return await connection.GetAttributeAsync("data-state");
        }, state => state == "red", "the Slack row turning red", SlackJourney.TokenCheckInterval * 4);

        var reason = connection.GetByTestId("reason").First;
        await Expect(reason).ToHaveTextAsync(new Regex("^Slack token revoked (just now|\\d+ s ago) — reconnect Slack$"));
        await Expect(connection.GetByTestId("token")).ToContainTextAsync("refused");
        await Expect(connection.GetByTestId("token")).ToContainTextAsync("token_revoked");
        var channel = connection.Locator("tr[data-target]");
        await Expect(channel).ToHaveAttributeAsync("data-state", "red");
        await Expect(channel.GetByTestId("reason")).ToContainTextAsync("nothing reaches Slack C0ALERTS: Slack refuses the connection's token — reconnect Slack");
        await Expect(page.GetByTestId("summary")).ToHaveAttributeAsync("data-state", "red");
        await Expect(page.GetByTestId("summary")).ToContainTextAsync("Slack token revoked");
        await Expect(page.Locator("tr[data-source]")).ToContainTextAsync("Sentry");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("xox"); // the token itself never shows
        // The connect's auth.test passed, the scheduled one (every 10 s on the real clock, so maybe not the first) was refused.
        var checks = await j.Emulator.CallsAsync("auth.test");
        Assert.True(checks[0].GetProperty("ok").GetBoolean());
        Assert.False(checks[^1].GetProperty("ok").GetBoolean());

        var file = Path.Combine(Artifacts.Screenshots, "delivery-health.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        Assert.True(new FileInfo(file).Length > 10_000);
        await page.SetViewportSizeAsync(390, 844);
        await Expect(connection.GetByTestId("reason").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "delivery-health-phone.png"), FullPage = true });
        await page.SetViewportSizeAsync(1366, 860);

        // Reconnecting (a new token) is what turns it green again.
        await j.Emulator.ConnectAsync(s.Owner);
        await page.ReloadAsync();
        await Expect(connection).ToHaveAttributeAsync("data-state", "green");
        await Expect(connection.GetByTestId("token")).ToHaveTextAsync("works");
        await Expect(channel).ToHaveAttributeAsync("data-state", "green");
        await Expect(page.GetByTestId("summary")).ToHaveAttributeAsync("data-state", "green");
    }

    [Fact]
    public async Task DiscardedNotification_RetriedFromThePageTwice_DeliveredOnce()
    {
        await using var j = await SlackJourney.StartAsync(browser);
        var s = j.S;
        await j.Emulator.FailAsync(new { method = "chat.postMessage", kind = "channel_not_found" });
        var groupId = await s.SendAsync("event_alert.fatal.production");
        await s.SignInAsync();
        var page = s.Page;
        var target = page.Locator("tr[data-target]");
        await Eventually.WaitAsync(async () =>
        {
            await page.GotoAsync(s.App.Url("/health/delivery"));
            return await target.Locator("li[data-job]").CountAsync();
        }, n => n == 1, "the discarded notification listed on the page");
        await Expect(target).ToHaveAttributeAsync("data-state", "red");
        await Expect(target.GetByTestId("reason")).ToContainTextAsync("channel not found");
        var discarded = target.Locator("li[data-job]");
        await Expect(discarded).ToContainTextAsync($"#{groupId}");
        await Expect(discarded).ToContainTextAsync("channel_not_found");
        Assert.Empty(await j.Emulator.MessagesAsync());

        // A second tab still shows the Retry button after the first one used it: a double retry must not post twice.
        var stale = await s.Context.NewPageAsync();
        await stale.GotoAsync(s.App.Url("/health/delivery"));
        await page.GetByRole(AriaRole.Button, new() { Name = $"Retry notification of incident #{groupId}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Retry queued");
        await stale.GetByRole(AriaRole.Button, new() { Name = $"Retry notification of incident #{groupId}" }).ClickAsync();
        await Expect(stale.GetByRole(AriaRole.Status)).ToContainTextAsync("no longer discarded");

        await j.WaitForMessagesAsync(1);
        await Eventually.WaitAsync(async () =>
        {
            await page.GotoAsync(s.App.Url($"/notifications?group={groupId}"));
            return await page.Locator("#log-rows tr[data-log]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.status)");
        }, statuses => statuses.SequenceEqual(["sent", "failed"]), "the log showing the failed and the retried attempt");
        Assert.Single(await j.Emulator.MessagesAsync());
        Assert.Single(await j.Emulator.CallsAsync("chat.postMessage"), c => c.GetProperty("ok").GetBoolean());

        await page.GotoAsync(s.App.Url("/health/delivery"));
        await Expect(target).ToHaveAttributeAsync("data-state", "green");
        await Expect(target.Locator("li[data-job]")).ToHaveCountAsync(0);
    }
}
