using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Rules;

/// <summary>Moving a rule up and disabling it change which rule matches: in the page's rule test and in Slack.</summary>
public sealed class RuleOrderTests(BrowserFixture browser)
{
    [Fact]
    public async Task ReorderAndDisable_ChangeWhichRuleMatches()
    {
        await using var s = await SlackScenario.StartAsync(browser);
        await s.CreateRuleAsync(new
        {
            name = "Everything to #alerts", conditions = new { },
            actions = new { targets = new[] { new { kind = "slack", channel = "#alerts" } } },
        });
        await s.CreateRuleAsync(new
        {
            name = "Production to #oncall", conditions = new { environments = new[] { "production" } },
            actions = new { targets = new[] { new { kind = "slack", channel = "#oncall" } } },
        });
        await s.SendAsync("event_alert.error.production");
        await s.MessageAsync(EmulatedSlack.Alerts, "TypeError: Cannot read properties of undefined");

        await s.SignInAsync("/rules");
        var page = s.Page;
        var rows = page.Locator("table.rules tbody tr");
        await Expect(rows.Nth(0)).ToContainTextAsync("Everything to #alerts");
        await Expect(rows.Nth(1)).ToContainTextAsync("Production to #oncall");
        await TestNewestAlertAsync(page, "Everything to #alerts", "#alerts");
        await Expect(rows.Nth(0).Locator(".badge.match")).ToHaveTextAsync("matched");

        await page.GetByRole(AriaRole.Button, new() { Name = "Move Production to #oncall up" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Moved “Production to #oncall” up.");
        await Expect(rows.Nth(0)).ToContainTextAsync("Production to #oncall");
        await Expect(rows.Nth(0).Locator("td.pos")).ToHaveTextAsync("1");
        await TestNewestAlertAsync(page, "Production to #oncall", "#oncall");
        // The real thing agrees: the next new production alert goes to #oncall.
        await s.SendAsync("event_alert.error.production", "7200000001", "TimeoutError: payments-api did not answer within 30 s");
        await s.MessageAsync(EmulatedSlack.Oncall, "TimeoutError: payments-api did not answer within 30 s");

        await page.GotoAsync(s.App.Url("/rules"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable Production to #oncall" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Disabled “Production to #oncall”.");
        await Expect(rows.Nth(0).Locator(".badge.off")).ToHaveTextAsync("disabled");
        await TestNewestAlertAsync(page, "Everything to #alerts", "#alerts");
        await s.SendAsync("event_alert.error.production", "7200000002", "KeyError: 'currency' in invoice_renderer.render_totals");
        await s.MessageAsync(EmulatedSlack.Alerts, "KeyError: 'currency' in invoice_renderer.render_totals");
        Assert.DoesNotContain(await s.Emulator.MessagesAsync(EmulatedSlack.Oncall),
            m => m.GetProperty("text").GetString()!.Contains("KeyError", StringComparison.Ordinal));

        await page.GetByRole(AriaRole.Button, new() { Name = "Enable Production to #oncall" }).ClickAsync();
        await Expect(rows.Nth(0).Locator(".badge.on")).ToHaveTextAsync("enabled");
    }

    /// <summary>Runs the page's rule test on the newest alert and checks the one rule that matched and where it would go.</summary>
    private static async Task TestNewestAlertAsync(IPage page, string rule, string channel)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Test", Exact = true }).ClickAsync();
        var result = page.GetByTestId("rule-test-result");
        await Expect(result.Locator("li")).ToHaveCountAsync(1);
        await Expect(result.Locator("li")).ToContainTextAsync($"Rule {rule} matched → {channel}");
    }
}
