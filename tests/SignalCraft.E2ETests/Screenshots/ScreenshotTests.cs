using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Screenshots;

/// <summary>
/// Pictures of the Inbox and the Incident page with realistic data (the shared Sentry fixtures, repeated and
/// retitled), each taken only after the screen's key content is asserted. Saved to artifacts/screenshots/.
/// </summary>
public sealed class ScreenshotTests(BrowserFixture browser)
{
    private static string Folder
    {
        get
        {
            var folder = Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    [Fact]
    public async Task InboxAndIncident_WithRealisticData_Screenshots()
    {
        await using var s = await Scenario.StartAsync(browser, new BrowserNewContextOptions
        {
            ViewportSize = new() { Width = 1366, Height = 860 }, TimezoneId = "Europe/Berlin",
        });
        var ids = new List<long>();
        foreach (var (fixture, issue, title, repeats) in Data)
        {
            for (var i = 0; i < repeats; i++)
            {
                var id = await s.SendAsync(fixture, issue, title);
                if (i == 0)
                {
                    ids.Add(id);
                }
            }
        }
        await s.Owner.Client.PostAsync($"/api/alert-groups/{ids[1]}/ack", null);
        await s.Owner.Client.PostAsync($"/api/alert-groups/{ids[3]}/resolve", null);
        await s.Owner.Client.PostAsync($"/api/alert-groups/{ids[4]}/snooze", System.Net.Http.Json.JsonContent.Create(new { minutes = 240 }));

        await s.SignInAsync();
        var page = s.Page;
        await Expect(Pages.InboxRows(page)).ToHaveCountAsync(Data.Length);
        await Expect(Pages.Row(page, ids[0])).ToContainTextAsync("×6");
        await Expect(Pages.Row(page, ids[1]).Locator(".st")).ToHaveTextAsync("acknowledged");
        await Expect(page.Locator("thead")).ToContainTextAsync("Europe/Berlin");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Folder, "inbox.png"), FullPage = true });

        await page.GotoAsync(s.App.Url($"/incidents/{ids[0]}"));
        await page.GetByLabel("Add a note").FillAsync("Started after deploy 2026.11.3 of checkout; rolling back.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Data[0].Title!);
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("acknowledged");
        var timeline = page.GetByRole(AriaRole.List, new() { Name = "Timeline" });
        await Expect(timeline).ToContainTextAsync("Started after deploy 2026.11.3");
        await Expect(timeline).ToContainTextAsync($"Acknowledged by {Scenario.OwnerName}");
        await Expect(timeline).ToContainTextAsync("and 4 earlier events like it"); // six events: the newest, 4 folded, the first
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Open in Sentry" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Folder, "incident.png"), FullPage = true });

        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(s.App.Url("/inbox"));
        await Expect(Pages.InboxRows(page)).ToHaveCountAsync(Data.Length);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Folder, "inbox-phone.png"), FullPage = false });

        Assert.True(new FileInfo(Path.Combine(Folder, "inbox.png")).Length > 10_000);
        Assert.True(new FileInfo(Path.Combine(Folder, "incident.png")).Length > 10_000);
    }

    private static readonly (string Fixture, string? Issue, string? Title, int Repeats)[] Data =
    [
        ("event_alert.error.production", "7100000001", "TypeError: Cannot read properties of undefined (reading 'amount')", 6),
        ("event_alert.fatal.production", null, null, 3),
        ("event_alert.warning.staging", null, null, 2),
        ("event_alert.info.production.wire-compact", null, null, 1),
        ("event_alert.error.production", "7100000002", "TimeoutError: payments-api did not answer within 30 s", 4),
        ("event_alert.fatal.production", "7100000003", "System.NullReferenceException in CheckoutController.Submit", 2),
        ("event_alert.error.no-environment.docs-sample", null, null, 1),
        ("event_alert.error.production", "7100000004", "KeyError: 'currency' in invoice_renderer.render_totals", 1),
    ];
}
