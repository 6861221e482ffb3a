using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using SignalCraft.Integrations.Slack;
using SignalCraft.Sources.Sentry;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Integrations;

/// <summary>
/// The Integrations pages as an admin uses them: create a Sentry integration, paste its client secret, send a test
/// webhook through the real ingest path (it lands in the Inbox and groups on repeat), see accepted and rejected
/// counts; connect Slack through the emulator's authorize page and send a test message the emulator shows.
/// </summary>
public sealed partial class IntegrationsPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Sentry_CreatePasteSecretAndSendTestWebhook_InboxRowAppearsAndCountsMove()
    {
        await using var s = await Scenario.StartAsync(browser);
        await s.SignInAsync("/integrations");
        var page = s.Page;

        await page.GetByLabel("Name").FillAsync("Sentry acme-corp");
        await page.GetByLabel("Kind").SelectOptionAsync("signed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create Sentry integration" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/integrations/sentry/\d+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Sentry: Sentry acme-corp");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Created Sentry acme-corp");
        var webhookUrl = await page.GetByTestId("webhook-url").InputValueAsync();
        Assert.StartsWith(s.App.Url("/webhooks/sentry/"), webhookUrl);
        await Expect(page.GetByTestId("setup-steps")).ToContainTextAsync("Internal Integration");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy" })).ToBeVisibleAsync(); // the script revealed it

        // Without the secret nothing can be verified: the page says so instead of sending.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test webhook" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Paste the client secret from Sentry first");

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Client secret" }).FillAsync(SentryHooks.ClientSecret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save client secret" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Client secret saved");
        await Expect(page.GetByTestId("secret-state")).ToContainTextAsync("Set, stored encrypted");
        await Expect(page.Locator("main")).Not.ToContainTextAsync(SentryHooks.ClientSecret);

        await page.GetByRole(AriaRole.Button, new() { Name = "Send test webhook" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(AcceptedIntoIncident());
        var groupId = long.Parse(AcceptedIntoIncident().Match(await page.GetByRole(AriaRole.Status).InnerTextAsync()).Groups[1].Value);
        await Expect(page.GetByTestId("test-incident")).ToHaveAttributeAsync("href", $"/incidents/{groupId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test webhook" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"grouped into incident #{groupId}");

        // A forged webhook to the same URL is rejected and counted with its reason.
        using (var forged = new HttpRequestMessage(HttpMethod.Post, webhookUrl) { Content = new StringContent("{}", Encoding.UTF8, "application/json") })
        {
            forged.Headers.Add("Sentry-Hook-Resource", "event_alert");
            forged.Headers.Add("Sentry-Hook-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString());
            forged.Headers.Add("Sentry-Hook-Signature", new string('0', 64));
            using var client = new HttpClient();
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(forged)).StatusCode);
        }
        await page.ReloadAsync();
        await Expect(page.GetByTestId("accepted")).ToHaveTextAsync("2 (2 accepted)");
        await Expect(page.GetByTestId("rejected")).ToHaveTextAsync("1 (1 bad signature (check the client secret))");
        await Expect(page.GetByTestId("last-webhook")).ToContainTextAsync(new Regex(@"\d+ s ago"));

        await page.GotoAsync(s.App.Url("/inbox"));
        var row = Pages.Row(page, groupId);
        await Expect(row).ToContainTextAsync(SentryTestWebhook.Title);
        await Expect(row).ToContainTextAsync("×2");
        await Expect(row.Locator("td.env")).ToHaveTextAsync("test");

        await page.GotoAsync(s.App.Url("/integrations"));
        var listed = page.GetByTestId("sentry-integrations").Locator("tbody tr", new() { HasText = "Sentry acme-corp" });
        await Expect(listed.Locator("td").Nth(2)).ToHaveTextAsync("set");
        await Expect(listed.Locator("td").Nth(4)).ToHaveTextAsync("2");
        await Expect(listed.Locator("td").Nth(5)).ToHaveTextAsync("1");
    }

    [Fact]
    public async Task Slack_ConnectThroughEmulatorAndSendTestMessage_EmulatorShowsIt()
    {
        await using var slack = await EmulatedSlack.StartAsync();
        await using var s = await Scenario.StartAsync(browser, new BrowserNewContextOptions
        {
            ViewportSize = new() { Width = 1366, Height = 900 }, TimezoneId = "Europe/Berlin",
        }, settings: slack.AppSettings());
        await s.SignInAsync("/integrations");
        var page = s.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "Connect Slack" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/oauth/v2/authorize"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/integrations\?slack=connected"));
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Slack connected: {EmulatedSlack.TeamName}.");
        var connection = page.GetByTestId("slack-connections").Locator($"tr[data-team='{EmulatedSlack.TeamId}']");
        await Expect(connection.GetByTestId("token-health")).ToContainTextAsync("healthy");

        await page.GetByLabel("Channel").SelectOptionAsync(new SelectOptionValue { Label = "#oncall" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test message" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Test message posted to #oncall in {EmulatedSlack.TeamName}.");

        await page.GotoAsync(slack.ChannelPage(EmulatedSlack.Oncall));
        await Expect(page.Locator("body")).ToContainTextAsync(SlackTestMessage.Text);
        await Expect(page.Locator("body")).ToContainTextAsync($"(sent by {Scenario.OwnerName})");
        Assert.Empty(await slack.MessagesAsync(EmulatedSlack.Alerts)); // only the chosen channel
    }

    [Fact]
    public async Task Screenshot_WithSlackConnectedAndSentryTraffic()
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
        await Api.ExpectAsync(rule, HttpStatusCode.Created);
        await s.SendFourAsync();
        await s.SendAsync("event_alert.error.production");
        var legacy = await s.Owner.Client.PostAsJsonAsync("/api/integrations", new { type = "sentry", name = "Sentry (legacy plugin, storefront)", mode = "legacy" });
        await Api.ExpectAsync(legacy, HttpStatusCode.Created);

        await s.SignInAsync("/integrations");
        var page = s.Page;
        var sentryRows = page.GetByTestId("sentry-integrations").Locator("tbody tr");
        await Expect(sentryRows).ToHaveCountAsync(2);
        await Expect(sentryRows.First.Locator("td").Nth(4)).ToHaveTextAsync("5");
        await Expect(page.GetByTestId("slack-connections")).ToContainTextAsync(EmulatedSlack.TeamName);
        await Expect(page.GetByTestId("slack-connections")).ToContainTextAsync("#alerts");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "integrations.png"), FullPage = true });

        await sentryRows.First.GetByRole(AriaRole.Link, new() { Name = "Set up and test" }).ClickAsync();
        await Expect(page.GetByTestId("accepted")).ToHaveTextAsync("5 (5 accepted)");
        await Expect(page.GetByTestId("setup-steps")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "integration-sentry.png"), FullPage = true });
    }

    [Fact]
    public async Task OtherWorkspace_OpensIntegrationUrl_GetsNotFound_AndAMemberIsNotAllowed()
    {
        await using var s = await Scenario.StartAsync(browser);
        var id = (await s.Owner.GetAsync("/api/integrations")).EnumerateArray().First().GetProperty("id").GetInt64();
        await Api.RegisterAsync(s.App, "eve@example.com", "Other Co");
        await Pages.SignInAsync(s.Page, s.App, "eve@example.com");

        var response = await s.Page.GotoAsync(s.App.Url($"/integrations/sentry/{id}"));
        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        await Expect(s.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not found");
        await Expect(s.Page.Locator("main")).Not.ToContainTextAsync("/webhooks/sentry/");

        await s.Owner.InviteAndJoinAsync(s.App, "max@example.com", "member");
        var member = await s.Context.Browser!.NewContextAsync();
        var memberPage = await member.NewPageAsync();
        await Pages.SignInAsync(memberPage, s.App, "max@example.com");
        await memberPage.GotoAsync(s.App.Url($"/integrations/sentry/{id}"));
        await Expect(memberPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not allowed");
        await Expect(memberPage.Locator("main")).Not.ToContainTextAsync("/webhooks/sentry/");
        await member.DisposeAsync();
    }

    [GeneratedRegex(@"Test webhook accepted \(202\) and grouped into incident #(\d+)")]
    private static partial Regex AcceptedIntoIncident();
}
