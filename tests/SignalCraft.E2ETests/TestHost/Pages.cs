using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.TestHost;

/// <summary>What a person does with the web app's forms, shared by the journeys.</summary>
public static partial class Pages
{
    /// <summary>Signs up through the register page with a new workspace; ends on the inbox.</summary>
    public static async Task SignUpAsync(IPage page, WebApp app, string email, string workspace, string name = "Dana Ops")
    {
        await page.GotoAsync(app.Url("/account/register"));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(Api.Password);
        await page.GetByLabel("Workspace name").FillAsync(workspace);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account and workspace" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(InboxUrl());
        await Expect(page.GetByTestId("workspace-name")).ToHaveTextAsync(workspace);
    }

    /// <summary>Signs in through the sign-in page; ends on <paramref name="then"/> (default the inbox).</summary>
    public static async Task SignInAsync(IPage page, WebApp app, string email, string? then = null)
    {
        await page.GotoAsync(app.Url(then is null ? "/account/login" : "/account/login?ReturnUrl=" + Uri.EscapeDataString(then)));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Api.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(then is null ? InboxUrl() : new Regex(Regex.Escape(then) + "$"));
    }

    /// <summary>The inbox's data rows (not the "nothing here" row).</summary>
    public static ILocator InboxRows(IPage page) => page.Locator("#inbox-rows tr[data-id]");

    public static ILocator Row(IPage page, long groupId) => page.Locator($"#inbox-rows tr[data-id='{groupId}']");

    [GeneratedRegex(@"/inbox(\?.*)?$")]
    private static partial Regex InboxUrl();
}
