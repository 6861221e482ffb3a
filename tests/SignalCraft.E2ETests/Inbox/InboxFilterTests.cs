using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Inbox;

/// <summary>Narrowing the inbox, sharing the view by URL, and acting on several rows at once.</summary>
public sealed class InboxFilterTests(BrowserFixture browser)
{
    [Fact]
    public async Task Filters_NarrowTheTable_AndSurviveReload()
    {
        await using var s = await Scenario.StartAsync(browser);
        var (_, _, staging, _) = await s.SendFourAsync();
        await s.SignInAsync();
        var page = s.Page;
        await Expect(Pages.InboxRows(page)).ToHaveCountAsync(4);

        await page.GetByLabel("Env").FillAsync("staging");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"[?&]env=staging"));
        await Expect(Pages.InboxRows(page)).ToHaveCountAsync(1);
        await Expect(Pages.Row(page, staging)).ToContainTextAsync("Payment provider latency above threshold");

        await page.ReloadAsync();
        await Expect(Pages.InboxRows(page)).ToHaveCountAsync(1);
        await Expect(page.GetByLabel("Env")).ToHaveValueAsync("staging");

        // Text search on top of the env filter, then another env: each narrows from the URL alone.
        await page.GotoAsync(s.App.Url("/inbox?env=production&q=sequence"));
        await Expect(Pages.InboxRows(page)).ToHaveCountAsync(1);
        await Expect(Pages.InboxRows(page)).ToContainTextAsync("Sequence contains no elements");
        await page.GetByRole(AriaRole.Link, new() { Name = "Clear" }).ClickAsync();
        await Expect(Pages.InboxRows(page)).ToHaveCountAsync(4);
    }

    [Fact]
    public async Task BulkAck_ThreeSelectedRows_AllThreeAcknowledged()
    {
        await using var s = await Scenario.StartAsync(browser);
        var (error, fatal, staging, info) = await s.SendFourAsync();
        await s.SignInAsync();
        var page = s.Page;

        foreach (var id in new[] { error, fatal, staging })
        {
            await Pages.Row(page, id).GetByRole(AriaRole.Checkbox).CheckAsync();
        }
        await Expect(page.Locator("#selected-count")).ToHaveTextAsync("3 selected");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ack", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Acknowledged 3 groups.");
        foreach (var id in new[] { error, fatal, staging })
        {
            await Expect(Pages.Row(page, id)).ToContainTextAsync("acknowledged");
        }
        await Expect(Pages.Row(page, info).Locator(".st")).ToHaveTextAsync("open");
        var api = await s.Owner.GetAsync("/api/alerts?status=acknowledged");
        Assert.Equal(3, api.GetProperty("items").GetArrayLength());
    }
}
