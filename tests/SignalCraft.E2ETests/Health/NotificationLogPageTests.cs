using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Health;

/// <summary>The notification log page: reached from an incident, filters in the URL, paging.</summary>
public sealed class NotificationLogPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Log_FromIncidentLink_FiltersInUrl_AndPaging()
    {
        await using var j = await SlackJourney.StartAsync(browser);
        var s = j.S;
        var groups = new List<long>();
        foreach (var (issue, title) in new[] { ("7300000001", "Checkout: card declined storm"), ("7300000002", "Payments API timeout"),
            ("7300000003", "Invoice renderer KeyError") })
        {
            groups.Add(await s.SendAsync("event_alert.error.production", issue, title));
            await j.WaitForMessagesAsync(groups.Count); // one at a time, so the log's order is the groups' order
        }
        await s.SignInAsync($"/incidents/{groups[1]}");
        var page = s.Page;
        var rows = page.Locator("#log-rows tr[data-log]");

        await page.GetByRole(AriaRole.Link, new() { Name = "Notification log for this incident" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/notifications\\?group={groups[1]}$"));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync($"#{groups[1]} Payments API timeout");
        await Expect(rows).ToContainTextAsync("Slack C0ALERTS");
        await Expect(rows).ToHaveAttributeAsync("data-status", "sent");
        await Expect(page.GetByLabel("Incident")).ToHaveValueAsync(groups[1].ToString());

        await page.GotoAsync(s.App.Url("/notifications"));
        await Expect(rows).ToHaveCountAsync(3);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "notification-log.png"), FullPage = true });

        await page.GotoAsync(s.App.Url("/notifications?limit=2"));
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync("Invoice renderer KeyError");
        await Expect(rows.Nth(1)).ToContainTextAsync("Payments API timeout");
        await page.GetByRole(AriaRole.Link, new() { Name = "Older →" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("limit=2&cursor=\\d+$"));
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("Checkout: card declined storm");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Older →" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "← Newest" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);

        await page.GotoAsync(s.App.Url("/notifications"));
        await page.GetByLabel("Target").SelectOptionAsync(new SelectOptionValue { Label = "Slack C0ALERTS" });
        await page.GetByLabel("Time").SelectOptionAsync("1h");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("target=\\d+.*range=1h"));
        await Expect(rows).ToHaveCountAsync(3);
        await page.GetByLabel("Status").SelectOptionAsync("failed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("status=failed"));
        await Expect(rows).ToHaveCountAsync(0);
        await Expect(page.Locator("#log-rows")).ToContainTextAsync("No delivery attempt matches.");

        await page.GotoAsync(s.App.Url("/notifications?group=abc&status=lost"));
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Incident is a number like 42.");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Use one of started, sent, failed, held.");
    }
}
