using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Rules;

/// <summary>The rule builder: a rule made on the page routes the next alert to its channel; bad input is refused as the API refuses it.</summary>
public sealed partial class RuleBuilderTests(BrowserFixture browser)
{
    [System.Text.RegularExpressions.GeneratedRegex("^Mention")]
    private static partial System.Text.RegularExpressions.Regex MentionLabel();

    [Fact]
    public async Task BuildRuleInBuilder_NextAlertGoesToItsChannel()
    {
        await using var s = await SlackScenario.StartAsync(browser);
        await s.SignInAsync("/rules");
        var page = s.Page;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Routing rules");
        await Expect(page.Locator(".empty-rules")).ToContainTextAsync("No rules yet");

        await page.GetByRole(AriaRole.Link, new() { Name = "New rule" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Production high → #oncall");
        await page.GetByLabel("Environment in").FillAsync("production");
        await page.GetByLabel("Severity at least").SelectOptionAsync("high");
        // Channels come from Slack's conversations.list, picked by name.
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "#oncall" }).CheckAsync();
        await page.GetByLabel(MentionLabel()).FillAsync("here");
        await page.GetByLabel("Step 1: after minutes").FillAsync("15");
        await page.GetByLabel("Step 1: notify").SelectOptionAsync(new SelectOptionValue { Label = "#alerts" });
        await page.GetByLabel("Runbook URL").FillAsync("https://runbooks.example.com/checkout");
        await page.GetByLabel("Quick actions").FillAsync("Grafana: checkout | https://grafana.example.com/d/checkout");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create rule" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(s.App.Url("/rules"));
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved rule “Production high → #oncall”.");
        var row = page.Locator("table.rules tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("env in production · severity ≥ high");
        await Expect(row.Locator("td.targets")).ToContainTextAsync("#oncall");
        await Expect(row.Locator("td.targets")).ToContainTextAsync("then after 15 min: #alerts");
        await Expect(row).ToContainTextAsync("@here · at once");

        // The next alert that matches goes to the rule's channel, and only there.
        await s.SendAsync("event_alert.error.production");
        var message = await s.MessageAsync(EmulatedSlack.Oncall, "TypeError: Cannot read properties of undefined");
        Assert.Contains("<!here>", message.GetProperty("text").GetString());
        Assert.Empty(await s.Emulator.MessagesAsync(EmulatedSlack.Alerts));

        // What the builder stored is what the API returns.
        var rule = (await s.Owner.GetAsync("/api/routing-rules")).EnumerateArray().Single();
        Assert.Equal(new[] { "production" }, rule.GetProperty("conditions").GetProperty("environments").EnumerateArray().Select(e => e.GetString()).ToArray());
        var actions = rule.GetProperty("actions");
        Assert.Equal(EmulatedSlack.Oncall, actions.GetProperty("targets")[0].GetProperty("channel").GetString());
        Assert.Equal(15, actions.GetProperty("escalation")[0].GetProperty("afterMinutes").GetInt32());
        Assert.Equal(EmulatedSlack.Alerts, actions.GetProperty("escalation")[0].GetProperty("target").GetProperty("channel").GetString());
        Assert.Equal("https://grafana.example.com/d/checkout", actions.GetProperty("quickActions")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task BuilderWithBadInput_ShowsTheApisReasons_AndSavesNothing()
    {
        await using var s = await SlackScenario.StartAsync(browser);
        await s.SignInAsync("/rules/new");
        var page = s.Page;
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Checkout pages");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "#alerts" }).CheckAsync();
        await page.GetByLabel(MentionLabel()).FillAsync("@checkout-team");
        await page.GetByLabel("Runbook URL").FillAsync("ftp://files.example.com/runbook.txt");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create rule" }).ClickAsync();

        var errors = page.GetByRole(AriaRole.Alert);
        await Expect(errors).ToContainTextAsync("The rule was not saved");
        await Expect(errors).ToContainTextAsync("Runbook URL: Use an absolute http(s) URL.");
        await Expect(errors).ToContainTextAsync("Mention: Use auto, here, channel, none, assignee");
        // What was typed is still there to correct.
        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Checkout pages");
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "#alerts" })).ToBeCheckedAsync();
        Assert.Equal(0, (await s.Owner.GetAsync("/api/routing-rules")).GetArrayLength());

        await page.GetByLabel(MentionLabel()).FillAsync("none");
        await page.GetByLabel("Runbook URL").FillAsync("https://runbooks.example.com/checkout");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create rule" }).ClickAsync();
        await Expect(page.Locator("table.rules tbody tr")).ToContainTextAsync("Checkout pages");
        Assert.Equal("none", (await s.Owner.GetAsync("/api/routing-rules"))[0].GetProperty("actions").GetProperty("mention").GetString());
    }
}
