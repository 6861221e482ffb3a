using SignalCraft.Data;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Inbox;

/// <summary>
/// Behind a load balancer: two instances on one PostgreSQL. The inbox page is served by instance A; the webhook is
/// taken by instance B; the row appears on A's open page, because the live refresh reads the database.
/// </summary>
public sealed class TwoInstanceInboxTests(BrowserFixture browser)
{
    [Fact]
    public async Task WebhookToInstanceB_AppearsInInboxOpenOnInstanceA()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var a = new WebApp(db);
        a.Start();
        await using var b = new WebApp(db);
        b.Start();
        Assert.NotEqual(a.BaseAddress, b.BaseAddress);

        var owner = await Api.RegisterAsync(a, Scenario.OwnerEmail, "Acme Payments", Scenario.OwnerName);
        var webhook = await owner.CreateSentryIntegrationAsync();
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Pages.SignInAsync(page, a, Scenario.OwnerEmail);
        await Expect(page.Locator("#inbox-rows")).ToContainTextAsync("Nothing here");
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

        var groupId = await SentryHooks.SendAsync(b.BaseAddress, webhook, "event_alert.fatal.production");

        await Expect(Pages.Row(page, groupId)).ToContainTextAsync("Sequence contains no elements");
        Assert.Equal(0, navigations);
        Assert.StartsWith(a.BaseAddress.ToString(), page.Url);
    }
}
