using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Inbox;

/// <summary>The first journey: sign up, connect Sentry, and see an alert arrive in the inbox that is already open.</summary>
public sealed class LiveInboxTests(BrowserFixture browser)
{
    [Fact]
    public async Task SignUp_ThenSentryWebhook_RowAppearsInOpenInboxWithoutNavigation()
    {
        await using var db = await TestDatabase.CreateAsync(Data.DatabaseProvider.Sqlite);
        await using var app = new WebApp(db);
        app.Start();
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await Pages.SignUpAsync(page, app, "dana@example.com", "Acme Payments");
        await Expect(page.Locator("#inbox-rows")).ToContainTextAsync("Nothing here");

        // The integration is made through the API, as the README's five-minute setup does.
        var api = await Api.SignInAsync(app, "dana@example.com");
        var webhook = await api.CreateSentryIntegrationAsync();
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

        var groupId = await SentryHooks.SendAsync(app.BaseAddress, webhook, "event_alert.error.production");

        var row = Pages.Row(page, groupId);
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("TypeError: Cannot read properties of undefined (reading 'amount')");
        await Expect(row).ToContainTextAsync("production");
        await Expect(row).ToContainTextAsync("open");
        Assert.Equal(0, navigations);
        await Expect(Pages.InboxRows(page)).ToHaveCountAsync(1);
    }
}
