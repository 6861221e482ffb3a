using System.Net;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Rules;

/// <summary>Who may see and change rules: another workspace's rule is not found; members read, admins edit.</summary>
public sealed class RulePageAccessTests(BrowserFixture browser)
{
    [Fact]
    public async Task AnotherWorkspacesRuleOnEditUrl_IsNotFound()
    {
        await using var s = await Scenario.StartAsync(browser);
        var mine = await CreateRuleAsync(s.Owner, "Ours: everything");
        var other = await Api.RegisterAsync(s.App, "eve@example.com", "Other Corp", "Eve Other");
        var theirs = await CreateRuleAsync(other, "Theirs: production");

        await s.SignInAsync();
        var page = s.Page;
        var own = await page.GotoAsync(s.App.Url($"/rules/{mine}/edit"));
        Assert.Equal((int)HttpStatusCode.OK, own!.Status);
        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Ours: everything");

        var response = await page.GotoAsync(s.App.Url($"/rules/{theirs}/edit"));
        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not found");
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Theirs: production");
        await page.GotoAsync(s.App.Url("/rules"));
        await Expect(page.Locator("table.rules tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Theirs: production");
    }

    [Fact]
    public async Task Member_SeesRules_ButCannotEdit()
    {
        await using var s = await Scenario.StartAsync(browser);
        var id = await CreateRuleAsync(s.Owner, "Everything");
        await s.Owner.InviteAndJoinAsync(s.App, "max@example.com", "member");
        var page = s.Page;
        await Pages.SignInAsync(page, s.App, "max@example.com", "/rules");
        await Expect(page.Locator("table.rules tbody tr")).ToContainTextAsync("Everything");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "New rule" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Disable Everything" })).ToHaveCountAsync(0);
        await page.GotoAsync(s.App.Url($"/rules/{id}/edit"));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/access-denied"));
    }

    private static async Task<long> CreateRuleAsync(Api admin, string name)
    {
        var response = await admin.Client.PostAsync("/api/routing-rules", System.Net.Http.Json.JsonContent.Create(new { name, conditions = new { } }));
        await Api.ExpectAsync(response, HttpStatusCode.Created);
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content)).GetProperty("id").GetInt64();
    }
}
