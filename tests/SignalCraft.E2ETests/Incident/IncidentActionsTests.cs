using System.Net;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Incident;

/// <summary>The incident page: every action changes the status and lands on the timeline with who did it.</summary>
public sealed class IncidentActionsTests(BrowserFixture browser)
{
    [Fact]
    public async Task Actions_ChangeStatus_AndAppearOnTimeline()
    {
        await using var s = await Scenario.StartAsync(browser);
        var id = await s.SendAsync("event_alert.fatal.production");
        await s.SignInAsync();
        var page = s.Page;
        await page.GotoAsync(s.App.Url($"/incidents/{id}"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("System.InvalidOperationException: Sequence contains no elements");
        var status = page.GetByTestId("status");
        var timeline = page.GetByRole(AriaRole.List, new() { Name = "Timeline" });

        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("acknowledged");
        await Expect(timeline).ToContainTextAsync($"Acknowledged by {Scenario.OwnerName}");

        await page.GetByLabel("Snooze for").SelectOptionAsync("240");
        await page.GetByRole(AriaRole.Button, new() { Name = "Snooze" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("snoozed");
        await Expect(timeline).ToContainTextAsync($"Snoozed for 4 h by {Scenario.OwnerName}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("resolved");
        await Expect(timeline).ToContainTextAsync($"Resolved by {Scenario.OwnerName}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Reopen" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("open");
        await Expect(timeline).ToContainTextAsync($"Reopened by {Scenario.OwnerName}");

        await page.GetByLabel("Add a note").FillAsync("Rolled back deploy 2026.11.3; watching.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(timeline.Locator("li[data-kind=note]").First).ToContainTextAsync($"{Scenario.OwnerName}: Rolled back deploy 2026.11.3; watching.");

        await page.GetByLabel("Assign to").SelectOptionAsync(new SelectOptionValue { Label = Scenario.OwnerName });
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("assignee")).ToHaveTextAsync(Scenario.OwnerName);
        await Expect(timeline).ToContainTextAsync($"Assigned to {Scenario.OwnerName} by {Scenario.OwnerName}");

        var detail = await s.Owner.GetAsync($"/api/alert-groups/{id}");
        Assert.Equal("open", detail.GetProperty("group").GetProperty("status").GetString());
        Assert.Equal(Scenario.OwnerName, detail.GetProperty("group").GetProperty("assignee").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Keyboard_TabToAcknowledgeAndPressEnter_Acknowledges()
    {
        await using var s = await Scenario.StartAsync(browser);
        var id = await s.SendAsync("event_alert.error.production");
        await s.SignInAsync();
        var page = s.Page;
        await page.GotoAsync(s.App.Url($"/incidents/{id}"));
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("open");

        var reached = false;
        for (var i = 0; i < 30 && !reached; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<string>("document.activeElement?.textContent?.trim() ?? ''") == "Acknowledge";
        }
        Assert.True(reached, "Tab never reached the Acknowledge button.");
        // The focused control is visibly marked (a keyboard user must see where they are).
        var outline = await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle");
        Assert.NotEqual("none", outline);
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByTestId("status")).ToHaveTextAsync("acknowledged");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Timeline" })).ToContainTextAsync($"Acknowledged by {Scenario.OwnerName}");
    }

    [Fact]
    public async Task OtherWorkspacesUser_OpensIncidentUrl_GetsNotFound()
    {
        await using var s = await Scenario.StartAsync(browser);
        var id = await s.SendAsync("event_alert.fatal.production");
        await Api.RegisterAsync(s.App, "eve@example.com", "Other Co");
        await Pages.SignInAsync(s.Page, s.App, "eve@example.com");

        var response = await s.Page.GotoAsync(s.App.Url($"/incidents/{id}"));

        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        await Expect(s.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not found");
        await Expect(s.Page.Locator("main")).Not.ToContainTextAsync("Sequence contains no elements");
    }
}
