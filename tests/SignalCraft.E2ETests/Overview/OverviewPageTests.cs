using System.Net.Http.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Overview;

/// <summary>
/// The Overview on a constructed stream, through the real path (signed Sentry webhooks, a routing rule, posts to the
/// emulated Slack, an ack): group A (4 events, production error), group B (1, production fatal), group C (2, staging
/// warning, matched by no rule). Hand-computed: 7 events in 3 groups (2.33 per group); 2 groups posted, 1 acked → ack
/// rate 50%; noise reduction 1 − 2 ÷ 7 = 71%; 1 unrouted; missed critical 0 (B reached Slack at once).
/// </summary>
public sealed partial class OverviewPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task ConstructedStream_ShowsHandComputedFigures_AndTheRangeSwitchKeepsThemInTheUrl()
    {
        await using var slack = await EmulatedSlack.StartAsync();
        await using var s = await Scenario.StartAsync(browser, new BrowserNewContextOptions
        {
            ViewportSize = new() { Width = 1366, Height = 900 }, TimezoneId = "Europe/Berlin",
        }, settings: slack.AppSettings());
        await slack.ConnectAsync(s.Owner);
        var rule = await s.Owner.Client.PostAsJsonAsync("/api/routing-rules", new
        {
            name = "production to #alerts",
            conditions = new { environments = new[] { "production" }, minSeverity = "med" },
            actions = new { targets = new[] { new { kind = "slack", channel = "#alerts" } }, mention = "auto" },
        });
        await Api.ExpectAsync(rule, System.Net.HttpStatusCode.Created);

        var a = await s.SendAsync("event_alert.error.production", "8200001", "TypeError: Cannot read properties of undefined (reading 'amount')");
        for (var i = 0; i < 3; i++)
        {
            await s.SendAsync("event_alert.error.production", "8200001", "TypeError: Cannot read properties of undefined (reading 'amount')");
        }
        await s.SendAsync("event_alert.fatal.production", "8200002");
        await s.SendAsync("event_alert.warning.staging", "8200003");
        await s.SendAsync("event_alert.warning.staging", "8200003");
        await WaitForAsync(async () => (await slack.MessagesAsync()).Count == 2, "two posts in #alerts");
        await Api.ExpectAsync(await s.Owner.Client.PostAsync($"/api/alert-groups/{a}/ack", null), System.Net.HttpStatusCode.OK);

        await s.SignInAsync("/overview");
        var page = s.Page;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("fig-events")).ToHaveTextAsync("7");
        await Expect(page.GetByTestId("fig-events-per-group")).ToHaveTextAsync("2.33");
        await Expect(page.GetByTestId("fig-ack-rate")).ToHaveTextAsync("50%");
        await Expect(page.GetByTestId("fig-noise-reduction")).ToHaveTextAsync("71%");
        await Expect(page.GetByTestId("fig-unrouted")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("fig-missed-critical")).ToHaveTextAsync("0");
        await Expect(page.GetByTestId("missed-none")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("fig-mtta-median")).ToHaveTextAsync(Seconds());

        // The chart: 25 hourly bars (the first and last partial) that add up to the events, and its text alternative.
        var bars = page.GetByTestId("event-chart").Locator("rect.bar");
        await Expect(bars).ToHaveCountAsync(25);
        var heights = await bars.EvaluateAllAsync<int[]>("rs => rs.map(r => Number(r.dataset.events))");
        Assert.Equal(7, heights.Sum());
        await Expect(page.GetByTestId("event-chart").Locator("figcaption")).ToContainTextAsync("7 events over 25 hours");

        var noisy = page.GetByTestId("noisy-sources");
        await Expect(noisy.Locator("tbody tr").First).ToContainTextAsync("web-storefront");
        await Expect(noisy.Locator("tbody tr").First.Locator("td").Nth(4)).ToHaveTextAsync("4");
        await Expect(page.GetByTestId("last-webhooks")).ToContainTextAsync(AgoText());
        var total = page.GetByTestId("funnel").Locator("tfoot td");
        Assert.Equal(["7", "3", "2", "1", "71%"], await total.AllInnerTextsAsync()); // events, groups, posts, the ack
        // Most severe first: B (critical, never acked) above A (high, acked).
        Assert.Equal(["critical", "high"], await page.GetByTestId("by-severity").Locator("tbody tr td:first-child").AllInnerTextsAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "overview.png"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "Last 7 days" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/overview\?range=7d$"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Last 7 days" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.GetByTestId("fig-events")).ToHaveTextAsync("7");
        await Expect(bars).ToHaveCountAsync(8); // a bar per day in Berlin, today's included
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Events per day, last 7 days" })).ToBeVisibleAsync();

        await page.GotoAsync(s.App.Url("/overview?range=2w"));
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Unknown range");
        await Expect(page.GetByTestId("fig-events")).ToHaveTextAsync("7");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"^\d+ s$")]
    private static partial Regex Seconds();

    [GeneratedRegex(@"\d+ s ago")]
    private static partial Regex AgoText();
}
