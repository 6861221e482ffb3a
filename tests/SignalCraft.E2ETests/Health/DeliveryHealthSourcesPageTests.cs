using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Health;

/// <summary>Refused webhooks on the Delivery Health page: each reason in its own counter, the last one named, the quarantine for admins only.</summary>
public sealed class DeliveryHealthSourcesPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task RejectedWebhooks_EachReason_InItsCounterOnThePage_QuarantineReadableByAdminsOnly()
    {
        await using var s = await Scenario.StartAsync(browser);
        const string fixture = "event_alert.error.production";
        await s.SendAsync(fixture);
        var unreadable = Encoding.UTF8.GetBytes("{\"action\":\"triggered\",\"data\":{\"event\": 17");
        Assert.Equal(HttpStatusCode.Accepted, await RawSentry.PostAsync(s.App.BaseAddress, s.Webhook, fixture, unreadable));
        var refused = new (string Reason, Func<Task<HttpStatusCode>> Send)[]
        {
            ("bad_signature", () => RawSentry.PostAsync(s.App.BaseAddress, s.Webhook, fixture, RawSentry.Fixture(fixture),
                RawSentry.Optional.Over(Encoding.UTF8.GetBytes("something else")))),
            ("missing_signature", () => RawSentry.PostAsync(s.App.BaseAddress, s.Webhook, fixture, RawSentry.Fixture(fixture), RawSentry.Optional.None)),
            ("bad_signature", () => RawSentry.PostAsync(s.App.BaseAddress, s.Webhook, fixture, RawSentry.Fixture(fixture),
                RawSentry.Optional.Over(Encoding.UTF8.GetBytes("and again")))),
            ("stale_timestamp", () => RawSentry.PostAsync(s.App.BaseAddress, s.Webhook, fixture, RawSentry.Fixture(fixture),
                timestamp: DateTimeOffset.UtcNow.AddMinutes(-6))),
            ("too_large", () => RawSentry.PostAsync(s.App.BaseAddress, s.Webhook, fixture, new byte[1024 * 1024 + 1])),
            ("wrong_mode", () => RawSentry.PostAsync(s.App.BaseAddress, s.Webhook, "legacy-webhooks-plugin.error.production",
                RawSentry.Fixture("legacy-webhooks-plugin.error.production"), RawSentry.Optional.None)), // as the WebHooks plugin sends
        };
        foreach (var (reason, send) in refused)
        {
            var status = (int)await send();
            Assert.True(status is >= 400 and < 500, $"{reason}: answered {status}");
        }

        await s.SignInAsync("/health/delivery");
        var page = s.Page;
        var row = page.Locator("tr[data-source]");
        await Expect(row).ToHaveCountAsync(1);
        foreach (var window in new[] { "1h", "24h" })
        {
            var cell = row.Locator($"td[data-window='{window}']");
            await Expect(cell.GetByTestId("accepted")).ToHaveTextAsync("2 accepted"); // the alert and the quarantined body
            await Expect(cell.GetByTestId("rejected")).ToHaveTextAsync($"{refused.Length} refused");
            foreach (var group in refused.GroupBy(r => r.Reason))
            {
                await Expect(cell.Locator($"li[data-reason='{group.Key}'] .count-n")).ToHaveTextAsync(group.Count().ToString());
            }
            await Expect(cell.Locator("li[data-reason='quarantined'] .count-n")).ToHaveTextAsync("1");
            await Expect(cell.Locator("li[data-reason]")).ToHaveCountAsync(refused.Select(r => r.Reason).Distinct().Count() + 1);
        }
        await Expect(row.Locator("li[data-reason='bad_signature']").First).ToContainTextAsync("bad signature: 2");
        await Expect(row.GetByTestId("last-refusal")).ToContainTextAsync("payload of the other mode");
        await Expect(row).ToHaveAttributeAsync("data-state", "amber");
        await Expect(row.GetByTestId("reason")).ToContainTextAsync("6 webhooks from Sentry refused in the last hour (last: payload of the other mode");
        await Expect(row.GetByTestId("quarantine")).ToContainTextAsync("1 kept");

        await row.GetByRole(AriaRole.Link, new() { Name = "Read the bodies" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Quarantined bodies of Sentry");
        var body = page.Locator("li[data-body]");
        await Expect(body).ToHaveCountAsync(1);
        await body.GetByText("Body").ClickAsync();
        await Expect(body.Locator("pre")).ToHaveTextAsync("{\"action\":\"triggered\",\"data\":{\"event\": 17");
        await Expect(body.GetByTestId("why")).Not.ToBeEmptyAsync();
        var quarantineUrl = page.Url;

        // A member sees the counts but no way to the bodies, and the bodies' page is not for them.
        await s.Owner.InviteAndJoinAsync(s.App, "max@example.com", "member");
        await using var memberContext = await browser.NewContextAsync();
        var member = await memberContext.NewPageAsync();
        await Pages.SignInAsync(member, s.App, "max@example.com", "/health/delivery");
        await Expect(member.Locator("tr[data-source] td[data-window='1h'] li[data-reason='too_large'] .count-n")).ToHaveTextAsync("1");
        await Expect(member.Locator("tr[data-source]").GetByTestId("quarantine")).ToContainTextAsync("1 kept");
        await Expect(member.GetByRole(AriaRole.Link, new() { Name = "Read the bodies" })).ToHaveCountAsync(0);
        await member.GotoAsync(quarantineUrl);
        await Expect(member.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not allowed");
        await Expect(member.Locator("main")).Not.ToContainTextAsync("triggered");
        await Expect(member).ToHaveURLAsync(new Regex("/account/access-denied"));
    }
}
