using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Workspace;

/// <summary>The settings page warns about a fallback on the primary's Slack connection, and turns the canary on, which Delivery Health then shows.</summary>
public sealed class CanarySettingsPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task SettingsPage_WarnsOnSharedFallback_TurnsCanaryOn_DeliveryHealthShowsIt()
    {
        await using var s = await SlackScenario.StartAsync(browser);
        var put = await s.Owner.Client.PutAsJsonAsync("/api/workspace/settings", new { fallback = new { kind = "slack", channel = "#oncall" } });
        put.EnsureSuccessStatusCode();
        await s.SignInAsync("/workspace/settings");
        var page = s.Page;
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("same Slack connection");
        await Expect(page.Locator("#canary-state")).ToHaveTextAsync("Off.");

        await page.GetByLabel("Run a canary").CheckAsync();
        await page.GetByLabel("Every, minutes").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save canary" }).ClickAsync();
        await Expect(page.GetByText("The canary runs every 5 to 1440 minutes.")).ToBeVisibleAsync();
        Assert.Equal(JsonValueKind.Null, (await s.Owner.GetAsync("/api/workspace/settings")).GetProperty("canary").ValueKind); // refused: nothing saved

        await page.GetByLabel("Every, minutes").FillAsync("30");
        await page.GetByLabel("Slack channel").FillAsync("#alerts");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save canary" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Canary saved.");
        await Expect(page.Locator("#canary-state")).ToHaveTextAsync("On: every 30 minutes to Slack C0ALERTS.");
        var canary = (await s.Owner.GetAsync("/api/workspace/settings")).GetProperty("canary");
        Assert.Equal(30, canary.GetProperty("intervalMinutes").GetInt32());

        await page.GotoAsync(s.App.Url("/health/delivery"));
        var panel = page.GetByTestId("canary");
        await Expect(panel).ToHaveAttributeAsync("data-state", "amber");
        await Expect(panel.GetByTestId("reason")).ToContainTextAsync("The first canary to Slack C0ALERTS is due within 30 minutes");
        await Expect(panel).ToContainTextAsync(new Regex("every 30 min to Slack C0ALERTS"));
    }
}
