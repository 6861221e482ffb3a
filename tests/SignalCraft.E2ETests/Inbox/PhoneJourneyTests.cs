using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Inbox;

/// <summary>The 3 a.m. phone: sign in, find the incident, act on it, all at 390×844 without sideways scrolling.</summary>
public sealed class PhoneJourneyTests(BrowserFixture browser)
{
    [Fact]
    public async Task Phone_SignInFindIncidentAndResolve_FitsTheScreen()
    {
        await using var s = await Scenario.StartAsync(browser, new BrowserNewContextOptions
        {
            ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2,
        });
        var (_, fatal, _, _) = await s.SendFourAsync();
        await s.SignInAsync();
        var page = s.Page;

        await Expect(Pages.InboxRows(page)).ToHaveCountAsync(4);
        await AssertNoSidewaysScrollAsync(page);
        // The filters fold away so the incidents come first; one tap opens them.
        await Expect(page.GetByLabel("Env")).ToBeHiddenAsync();
        await page.GetByText("Filters", new() { Exact = true }).TapAsync();
        await Expect(page.GetByLabel("Env")).ToBeVisibleAsync();
        var row = Pages.Row(page, fatal);
        await Expect(row.Locator(".sev")).ToBeVisibleAsync();
        await Expect(row.Locator(".st")).ToHaveTextAsync("open");

        await row.GetByRole(AriaRole.Link, new() { Name = "System.InvalidOperationException: Sequence contains no elements" }).TapAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("System.InvalidOperationException: Sequence contains no elements");
        await AssertNoSidewaysScrollAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).TapAsync();
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("resolved");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Timeline" })).ToContainTextAsync($"Resolved by {Scenario.OwnerName}");
        await AssertNoSidewaysScrollAsync(page);
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var (scroll, width) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        Assert.True(scroll <= width, $"The page is {scroll} px wide on a {width} px screen: it scrolls sideways.");
    }
}
