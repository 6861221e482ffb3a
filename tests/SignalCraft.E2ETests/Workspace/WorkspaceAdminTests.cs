using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Workspace;

/// <summary>Members, invites, reset links and API tokens from the browser, and the role rules on those pages.</summary>
public sealed class WorkspaceAdminTests(BrowserFixture browser)
{
    [Fact]
    public async Task Member_CannotReachAdminPages()
    {
        await using var s = await Scenario.StartAsync(browser);
        await s.Owner.InviteAndJoinAsync(s.App, "mo@example.com", "member");
        await Pages.SignInAsync(s.Page, s.App, "mo@example.com");
        var page = s.Page;
        await Expect(page.GetByTestId("workspace-name")).ToHaveTextAsync("Acme Payments");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Members" })).ToHaveCountAsync(0);

        foreach (var path in new[] { "/workspace/members", "/workspace/tokens", "/workspace/settings" })
        {
            var response = await page.GotoAsync(s.App.Url(path));
            Assert.Equal((int)HttpStatusCode.Forbidden, response!.Status);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not allowed");
        }
        // A forged post from the member's own session is refused the same way (the policy runs before any handler).
        var post = await page.APIRequest.PostAsync(s.App.Url("/workspace/tokens"), new() { Form = page.APIRequest.CreateFormData().Set("_handler", "create-token").Set("name", "x"), MaxRedirects = 0 });
        Assert.NotEqual(200, post.Status);
        Assert.Empty((await s.Owner.GetAsync("/api/tokens")).EnumerateArray());
    }

    [Fact]
    public async Task Owner_InvitesByLink_InviteeJoins_ThenRoleChangeResetAndRemoval()
    {
        await using var s = await Scenario.StartAsync(browser);
        await s.SignInAsync("/workspace/members");
        var page = s.Page;
        await page.GetByLabel("Email").FillAsync("ines@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create invite link" }).ClickAsync();
        var inviteUrl = (await page.GetByTestId("one-time-link").TextContentAsync())!.Trim();
        Assert.StartsWith(s.App.BaseAddress.ToString().TrimEnd('/') + "/invites/", inviteUrl);
        await Expect(page.Locator("main")).ToContainTextAsync("ines@example.com as member");

        await using (var invitee = await browser.NewContextAsync())
        {
            var other = await invitee.NewPageAsync();
            await other.GotoAsync(inviteUrl);
            await Expect(other.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Join Acme Payments");
            await other.GetByRole(AriaRole.Link, new() { Name = "Create an account and join" }).ClickAsync();
            await other.GetByLabel("Email").FillAsync("ines@example.com");
            await other.GetByLabel("Your name").FillAsync("Ines");
            await other.GetByLabel("Password").FillAsync(Api.Password);
            await other.GetByRole(AriaRole.Button, new() { Name = "Create account and join" }).ClickAsync();
            await Expect(other.GetByTestId("workspace-name")).ToHaveTextAsync("Acme Payments");
        }

        await page.ReloadAsync();
        var row = page.Locator("tr[data-user='ines@example.com']");
        await Expect(row).ToContainTextAsync("Ines");
        await row.GetByLabel("Role of ines@example.com").SelectOptionAsync("admin");
        await row.GetByRole(AriaRole.Button, new() { Name = "Change role" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("ines@example.com is now admin.");

        await page.Locator("tr[data-user='ines@example.com']").GetByRole(AriaRole.Button, new() { Name = "Reset link" }).ClickAsync();
        var resetUrl = (await page.GetByTestId("one-time-link").TextContentAsync())!.Trim();
        await using (var invitee = await browser.NewContextAsync())
        {
            var other = await invitee.NewPageAsync();
            await other.GotoAsync(resetUrl);
            await other.GetByLabel("New password").FillAsync("a brand new passphrase");
            await other.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
            await Expect(other.GetByRole(AriaRole.Status)).ToContainTextAsync("Password changed for ines@example.com");
            await other.GetByLabel("Email").FillAsync("ines@example.com");
            await other.GetByLabel("Password").FillAsync("a brand new passphrase");
            await other.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(other.GetByRole(AriaRole.Link, new() { Name = "Members" })).ToBeVisibleAsync(); // admin now
        }

        await page.Locator("tr[data-user='ines@example.com']").GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("ines@example.com was removed from the workspace.");
        await Expect(page.Locator("tr[data-user='ines@example.com']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ApiToken_ShownOnceAtCreation_WorksUntilDeleted()
    {
        await using var s = await Scenario.StartAsync(browser);
        await s.SignInAsync("/workspace/tokens");
        var page = s.Page;
        await page.GetByLabel("Name").FillAsync("deploy-bot");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var token = (await page.GetByTestId("new-token").TextContentAsync())!.Trim();
        Assert.StartsWith("sc_", token);

        using var client = new HttpClient { BaseAddress = s.App.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/alerts")).StatusCode);

        await page.GotoAsync(s.App.Url("/workspace/tokens"));
        await Expect(page.GetByTestId("new-token")).ToHaveCountAsync(0);
        Assert.DoesNotContain(token, await page.ContentAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete deploy-bot" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Token deleted");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/alerts")).StatusCode);
    }

    [Fact]
    public async Task Settings_SaveTimeZone_AndWorkspaceSwitch()
    {
        await using var s = await Scenario.StartAsync(browser);
        await s.SignInAsync("/workspace/settings");
        var page = s.Page;
        await page.GetByLabel("Time zone").FillAsync("Asia/Tokyo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Settings saved.");
        var settings = await s.Owner.GetAsync("/api/workspace/settings");
        Assert.Equal("Asia/Tokyo", settings.GetProperty("timeZone").GetString());

        await page.GetByLabel("Time zone").FillAsync("Mars/Olympus");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("IANA time zone");

        await page.GotoAsync(s.App.Url("/workspaces"));
        await page.GetByLabel("Name").FillAsync("Acme Staging");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create workspace" }).ClickAsync();
        await Expect(page.GetByTestId("workspace-name")).ToHaveTextAsync("Acme Staging");
        await page.GotoAsync(s.App.Url("/workspaces"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to Acme Payments" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/inbox$"));
        await Expect(page.GetByTestId("workspace-name")).ToHaveTextAsync("Acme Payments");
    }

    [Fact]
    public async Task Profile_SaysSlackNotLinked_AndRenamesTheTimelineActor()
    {
        await using var s = await Scenario.StartAsync(browser);
        var id = await s.SendAsync("event_alert.error.production");
        await s.SignInAsync("/account/profile");
        var page = s.Page;
        await Expect(page.GetByTestId("slack-link")).ToContainTextAsync("Not linked");

        await page.GetByLabel("Shown on timelines and in Slack messages").FillAsync("Dana (on call)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save name" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Name saved.");

        await page.GotoAsync(s.App.Url($"/incidents/{id}"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Timeline" })).ToContainTextAsync("Acknowledged by Dana (on call)");
    }
}
