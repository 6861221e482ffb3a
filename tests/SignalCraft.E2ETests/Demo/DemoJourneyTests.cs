using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Demo;

/// <summary>
/// The 5-minute demo from the README, started with its one command and walked in Chromium: an error appears in the
/// Inbox; repeats group (its count goes up); the Slack message with buttons is on the emulator's channel page; Ack
/// clicked there shows in the app; a rule built on the Rules page (production + high → #oncall) sends the next new
/// alert to #oncall.
/// </summary>
public sealed partial class DemoJourneyTests(BrowserFixture browser)
{
    private const string Error = "TypeError: Cannot read properties of undefined";

    [Fact]
    public async Task FiveMinuteDemo_FromOneCommand()
    {
        await using var context = await browser.NewContextAsync(); // skips or fails before anything starts without Chromium
        await using var demo = await DemoProcess.StartAsync(TimeSpan.FromSeconds(2));
        var page = await context.NewPageAsync();

        // 1. Sign in as the demo user; the error appears in the Inbox, and its repeats raise one row's count.
        await page.GotoAsync(demo.App("/account/login"));
        await page.GetByLabel("Email").FillAsync(DemoProcess.Email);
        await page.GetByLabel("Password").FillAsync(DemoProcess.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/inbox"));
        var row = Pages.InboxRows(page).Filter(new() { HasText = Error });
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        var count = row.Locator(".count");
        var before = await count.TextContentAsync();
        await Expect(count).Not.ToHaveTextAsync(before!, new() { Timeout = 30_000 }); // live, without a reload
        await Expect(row).ToHaveCountAsync(1);
        Assert.True(int.Parse((await count.TextContentAsync())!.TrimStart('×')) > int.Parse(before!.TrimStart('×')));
        var groupId = await row.GetAttributeAsync("data-id");

        // 2. The Slack message with its buttons on the emulator's #alerts page; 3. Ack there.
        var slack = await context.NewPageAsync();
        await slack.GotoAsync(demo.Slack($"/_emulator/channels/{EmulatedSlack.TeamId}/{EmulatedSlack.Alerts}?user=U0ALICE"));
        var message = slack.Locator("div.msg").Filter(new() { HasText = Error }).First;
        await Expect(message).ToBeVisibleAsync();
        await Expect(message.GetByRole(AriaRole.Button, new() { Name = "Snooze 1 h", Exact = true })).ToBeVisibleAsync();
        await Expect(message.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true })).ToBeVisibleAsync();
        await message.GetByRole(AriaRole.Button, new() { Name = "Ack", Exact = true }).ClickAsync();

        // The app shows it: the incident is acknowledged, by alice, from Slack.
        await page.GotoAsync(demo.App($"/incidents/{groupId}"));
        for (var deadline = DateTime.UtcNow.AddSeconds(30);
             await page.GetByTestId("status").TextContentAsync() != "acknowledged" && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("acknowledged");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Timeline" })).ToContainTextAsync(AckedFromSlack());

        // 4. A rule built on the Rules page: production + high → #oncall, placed first.
        await page.GotoAsync(demo.App("/rules"));
        await Expect(page.Locator("table.rules tbody tr")).ToContainTextAsync("everything to #alerts");
        Assert.Empty(await demo.MessagesAsync(EmulatedSlack.Oncall)); // nothing goes there yet
        await page.GetByRole(AriaRole.Link, new() { Name = "New rule" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("production + high → #oncall");
        await page.GetByLabel("Environment in").FillAsync("production");
        await page.GetByLabel("Severity at least").SelectOptionAsync("high");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "#oncall" }).CheckAsync();
        await page.GetByLabel("Place it").SelectOptionAsync("first");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create rule" }).ClickAsync();
        await Expect(page.Locator("table.rules tbody tr").First).ToContainTextAsync("production + high → #oncall");

        // The sender's next new issue goes to #oncall, where a person sees it.
        var deadlineOncall = DateTime.UtcNow.AddSeconds(60);
        while (!(await demo.MessagesAsync(EmulatedSlack.Oncall)).Any(m => NewIssue().IsMatch(m.GetProperty("text").GetString() ?? "")))
        {
            Assert.True(DateTime.UtcNow < deadlineOncall, "No new issue reached #oncall within 60 s of the rule change:\n" + demo.Output);
            await Task.Delay(500);
        }
        await slack.GotoAsync(demo.Slack($"/_emulator/channels/{EmulatedSlack.TeamId}/{EmulatedSlack.Oncall}?user=U0ALICE"));
        var oncall = slack.Locator("div.msg").Filter(new() { HasTextRegex = NewIssue() }).First;
        await Expect(oncall).ToBeVisibleAsync();
        await Expect(oncall.GetByRole(AriaRole.Button, new() { Name = "Ack", Exact = true })).ToBeVisibleAsync();
    }

    [GeneratedRegex("Acknowledged by .+ via Slack")]
    private static partial Regex AckedFromSlack();

    /// <summary>The sender's made-up issues end in "(#n)".</summary>
    [GeneratedRegex(@"\(#\d+\)")]
    private static partial Regex NewIssue();
}
