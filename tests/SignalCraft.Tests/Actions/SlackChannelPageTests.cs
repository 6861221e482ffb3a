using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Actions;

/// <summary>A person clicking the buttons of SignalCraft's message on the emulator's channel page, in headless Chromium.</summary>
public sealed class SlackChannelPageTests
{
    [Fact]
    public async Task ClickAckSnoozeResolveOnChannelPage_GroupFollowsAndMessageShowsWhoDidIt()
    {
        var chromium = Chromium.RequirePath();
        await using var s = await SlackActionsTests.StartAsync(DatabaseProvider.Sqlite);
        var (groupId, _) = await s.AlertAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true, Args = Chromium.Args,
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(s.Emulator.BaseAddress, $"/_emulator/channels/{SlackEmulatorHost.TeamId}/{SlackEmulatorHost.Alerts}?user=U0ALICE").ToString());
        await Assertions.Expect(page.GetByText("Open in SignalCraft")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Ack", Exact = true }).ClickAsync();
        await WaitForStatusAsync(s, groupId, "acknowledged");
        await Assertions.Expect(page.GetByText("Acknowledged by alice via Slack").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Ack", Exact = true })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Snooze 1 h", Exact = true }).ClickAsync();
        await WaitForStatusAsync(s, groupId, "snoozed");
        await Assertions.Expect(page.GetByText("Snoozed").First).ToBeVisibleAsync(new() { Timeout = 15_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();
        await WaitForStatusAsync(s, groupId, "resolved");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true })).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByText("Resolved").First).ToBeVisibleAsync();

        var group = await s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{groupId}");
        var timeline = SlackActionsTests.Timeline(group);
        Assert.Contains("Acknowledged by alice via Slack", timeline);
        Assert.Contains("Snoozed for 1 h by alice via Slack", timeline);
        Assert.Contains("Resolved by alice via Slack", timeline);
        // Every answer reached Slack well within its 3 seconds.
        var callbacks = (await s.Emulator.SendAsync(HttpMethod.Get, "/_emulator/callbacks")).EnumerateArray().ToList();
        Assert.Equal(3, callbacks.Count);
        Assert.All(callbacks, c => Assert.Equal((200, false), (c.GetProperty("status").GetInt32(), c.GetProperty("slow").GetBoolean())));
    }

    private static Task WaitForStatusAsync(Notify.Slack.SlackFailureTests.Scenario s, long groupId, string status) =>
        Eventually.WaitAsync(() => s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{groupId}"),
            g => g.GetProperty("group").GetProperty("status").GetString() == status, $"the group {status}");
}
