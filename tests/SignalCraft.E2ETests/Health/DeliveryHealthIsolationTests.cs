using System.Net;
using System.Text;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Health;

/// <summary>
/// The pages' cross-workspace probe: every id the Delivery Health pages take (an integration's quarantine, a discarded
/// notification's Retry, the log's incident and target filters) is not found from another workspace, changes nothing
/// there, and works for its own workspace (so the probe named something real).
/// </summary>
public sealed class DeliveryHealthIsolationTests(BrowserFixture browser)
{
    [Fact]
    public async Task OtherWorkspace_IdsOfTheHealthPages_NotFoundAndNothingChanges()
    {
        await using var j = await SlackJourney.StartAsync(browser);
        var s = j.S; // workspace B: a quarantined body, a discarded notification, a group and a target
        await j.Emulator.FailAsync(new { method = "chat.postMessage", kind = "channel_not_found" });
        var groupId = await s.SendAsync("event_alert.fatal.production");
        Assert.Equal(HttpStatusCode.Accepted, await RawSentry.PostAsync(s.App.BaseAddress, s.Webhook, "event_alert.error.production",
            Encoding.UTF8.GetBytes("{\"not\": \"a sentry payload\"")));
        var report = await Eventually.WaitAsync(() => s.Owner.GetAsync("/api/health/delivery"),
            r => r.GetProperty("slack")[0].GetProperty("targets")[0].GetProperty("discarded").GetArrayLength() == 1, "B's discarded notification");
        var target = report.GetProperty("slack")[0].GetProperty("targets")[0];
        var (targetId, jobId) = (target.GetProperty("id").GetInt64(), target.GetProperty("discarded")[0].GetProperty("jobId").GetInt64());
        var integrationId = report.GetProperty("sources")[0].GetProperty("id").GetInt64();
        var pages = new[]
        {
            $"/health/delivery/sources/{integrationId}/quarantine", $"/notifications?group={groupId}", $"/notifications?target={targetId}",
        };

        await Api.RegisterAsync(s.App, "eve@example.com", "Other Co");
        await Pages.SignInAsync(s.Page, s.App, "eve@example.com", "/health/delivery");
        var eve = s.Page;
        await Expect(eve.Locator("main")).Not.ToContainTextAsync("C0ALERTS");
        await Expect(eve.Locator("tr[data-source], .panel[data-connection]")).ToHaveCountAsync(0);
        foreach (var path in pages)
        {
            var response = await eve.GotoAsync(s.App.Url(path));
            Assert.True(response!.Status == (int)HttpStatusCode.NotFound, $"{path} answered {response.Status} to another workspace");
            await Expect(eve.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not found");
            await Expect(eve.Locator("main")).Not.ToContainTextAsync("sentry payload");
        }
        var eveRetry = await PostRetryAsync(eve, s.App, jobId);
        Assert.Equal((int)HttpStatusCode.NotFound, eveRetry);

        // Nothing changed in B: the notification is still discarded, nothing was posted.
        var after = await s.Owner.GetAsync("/api/health/delivery");
        Assert.Equal(jobId, after.GetProperty("slack")[0].GetProperty("targets")[0].GetProperty("discarded")[0].GetProperty("jobId").GetInt64());
        Assert.Empty(await j.Emulator.MessagesAsync());

        // B's owner gets every one of them, and a post without the page's antiforgery token is refused.
        await using var ownerContext = await browser.NewContextAsync();
        var owner = await ownerContext.NewPageAsync();
        await Pages.SignInAsync(owner, s.App, Scenario.OwnerEmail, "/health/delivery");
        foreach (var path in pages)
        {
            var response = await owner.GotoAsync(s.App.Url(path));
            Assert.True(response!.Ok, $"{path} answered {response.Status} to its own workspace");
        }
        var forged = await owner.APIRequest.PostAsync(s.App.Url($"/health/delivery/discarded/{jobId}/retry"), new() { MaxRedirects = 0 });
        Assert.Equal((int)HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal((int)HttpStatusCode.Redirect, await PostRetryAsync(owner, s.App, jobId));
        await j.WaitForMessagesAsync(1);
    }

    /// <summary>Posts the Retry form for <paramref name="jobId"/> with the antiforgery token of the page's own session.</summary>
    private static async Task<int> PostRetryAsync(IPage page, WebApp app, long jobId)
    {
        await page.GotoAsync(app.Url("/health/delivery"));
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var form = page.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token!);
        var response = await page.APIRequest.PostAsync(app.Url($"/health/delivery/discarded/{jobId}/retry"), new() { Form = form, MaxRedirects = 0 });
        return response.Status;
    }
}
