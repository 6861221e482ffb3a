using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Rules;

/// <summary>A picture of Routing Rules with realistic rules and a rule test result, taken after its key content is asserted.</summary>
public sealed class RulesScreenshotTests(BrowserFixture browser)
{
    [Fact]
    public async Task RoutingRules_WithRealisticData_Screenshot()
    {
        await using var s = await SlackScenario.StartAsync(browser, new BrowserNewContextOptions
        {
            ViewportSize = new() { Width = 1366, Height = 860 }, TimezoneId = "Europe/Berlin",
        });
        await s.CreateRuleAsync(new
        {
            name = "Orders down: page on-call",
            conditions = new { environments = new[] { "production" }, minSeverity = "critical", projects = new[] { "orders-api", "web-storefront" } },
            actions = new
            {
                targets = new[] { new { kind = "slack", channel = "#oncall" } }, mention = "channel",
                escalation = new object[] { new { afterMinutes = 10, repeatEveryMinutes = 30 } },
                runbookUrl = "https://runbooks.example.com/orders-api",
            },
        });
        await s.CreateRuleAsync(new
        {
            name = "Production high → #oncall",
            conditions = new { environments = new[] { "production" }, minSeverity = "high" },
            actions = new
            {
                targets = new[] { new { kind = "slack", channel = "#oncall" } }, waitSeconds = 60,
                escalation = new object[] { new { afterMinutes = 15, target = new { kind = "slack", channel = "#alerts" } } },
            },
        });
        var staging = await s.CreateRuleAsync(new
        {
            name = "Staging payments latency",
            conditions = new { environments = new[] { "staging" }, tags = new[] { new { key = "region", op = "contains", value = "eu" } } },
            actions = new { targets = new[] { new { kind = "slack", channel = "#alerts" } }, mention = "none" },
        });
        await s.Owner.Client.PutAsync($"/api/routing-rules/{staging}", System.Net.Http.Json.JsonContent.Create(new
        {
            name = "Staging payments latency", enabled = false,
            conditions = new { environments = new[] { "staging" }, tags = new[] { new { key = "region", op = "contains", value = "eu" } } },
            actions = new { targets = new[] { new { kind = "slack", channel = "#alerts" } }, mention = "none" },
        }));
        await s.CreateRuleAsync(new
        {
            name = "Everything else → #alerts", conditions = new { },
            actions = new { targets = new[] { new { kind = "slack", channel = "#alerts" } } },
        });
        await s.SendAsync("event_alert.warning.staging");
        await s.SendAsync("event_alert.fatal.production");
        await s.SendAsync("event_alert.error.production");

        await s.SignInAsync("/rules");
        var page = s.Page;
        var rows = page.Locator("table.rules tbody tr");
        await Expect(rows).ToHaveCountAsync(4);
        await Expect(rows.Nth(0)).ToContainTextAsync("env in production · severity ≥ critical · project in orders-api, web-storefront");
        await Expect(rows.Nth(1).Locator("td.targets")).ToContainTextAsync("then after 15 min: #alerts");
        await Expect(rows.Nth(2).Locator(".badge.off")).ToHaveTextAsync("disabled");
        await Expect(rows.Nth(3)).ToContainTextAsync("every alert");
        await page.GetByLabel("Recent alert").SelectOptionAsync(new SelectOptionValue { Index = 1 }); // the fatal
        await page.GetByRole(AriaRole.Button, new() { Name = "Test", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("rule-test-result")).ToContainTextAsync("Rule Orders down: page on-call matched → #oncall");
        await Expect(rows.Nth(0).Locator(".badge.match")).ToBeVisibleAsync();
        var file = Path.Combine(Artifacts.Screenshots, "rules.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });

        await page.GotoAsync(s.App.Url("/rules/new"));
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "#oncall" })).ToBeVisibleAsync();
        var builder = Path.Combine(Artifacts.Screenshots, "rule-builder.png");
        await page.ScreenshotAsync(new() { Path = builder, FullPage = true });
        Assert.True(new FileInfo(file).Length > 10_000);
        Assert.True(new FileInfo(builder).Length > 10_000);
    }
}
