using SignalCraft.Data;
using SignalCraft.Notify.Webhook;
using SignalCraft.Tests.Notify.Fallback;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Health.SlackOutage;

/// <summary>
/// Slack failing longer than <c>Notify:SlackDownNoticeAfter</c> (5 minutes by default) tells the workspace's fallback webhook
/// once per outage, and once more when Slack works again. Time moves on the app's fake clock, a minute at a time, as the
/// sweep looks once a minute.
/// </summary>
public sealed class SlackDownNoticeTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TokenRevoked_FallbackToldOnceAfterThreshold_NotBefore_RecoveredAfterReconnect(DatabaseProvider provider)
    {
        await using var s = await FallbackScenario.StartAsync(provider);
        await s.Emulator.PostAsync("/_emulator/tokens/revoke", new { token = await s.BotTokenAsync() });
        var start = s.App.Clock.GetUtcNow().UtcDateTime;
        await s.SendCriticalAsync("9001");
        await s.Fallback.WaitForAsync(r => r.Any(x => x.Type == "group.opened"), "the alert itself at the fallback");

        await AdvanceMinutesAsync(s, 4);
        Assert.Empty(Notices(s, WebhookNoticeTypes.SlackDown));

        await AdvanceMinutesAsync(s, 2); // six minutes into the outage
        var told = (await s.Fallback.WaitForAsync(r => r.Any(x => x.Type == WebhookNoticeTypes.SlackDown), "the Slack-down notice"))
            .Single(r => r.Type == WebhookNoticeTypes.SlackDown);
        var notice = told.Json.GetProperty("notice");
        Assert.Equal(start, notice.GetProperty("since").GetDateTime(), TimeSpan.FromSeconds(1));
        Assert.Equal("SignalCraft Demo", notice.GetProperty("team").GetString());
        var text = notice.GetProperty("text").GetString()!;
        Assert.StartsWith($"Slack delivery to SignalCraft Demo failing since {start:yyyy-MM-dd HH:mm} UTC", text);
        Assert.Contains("token_revoked", text);
        Assert.EndsWith("/health/delivery", notice.GetProperty("link").GetString());
        Assert.Contains(notice.GetProperty("link").GetString()!, text);
        Assert.StartsWith("v1=", told.Headers["X-SignalCraft-Signature"]);
        Assert.DoesNotContain(await s.BotTokenAsync(), told.Body);

        await AdvanceMinutesAsync(s, 5); // the same outage goes on: nothing more
        Assert.Single(Notices(s, WebhookNoticeTypes.SlackDown));
        Assert.Empty(Notices(s, WebhookNoticeTypes.SlackRecovered));

        await Notify.Slack.SlackTestKit.ConnectedAsync(s.Owner);
        await AdvanceMinutesAsync(s, 1);
        var recovered = (await s.Fallback.WaitForAsync(r => r.Any(x => x.Type == WebhookNoticeTypes.SlackRecovered), "the recovered notice"))
            .Single(r => r.Type == WebhookNoticeTypes.SlackRecovered);
        Assert.StartsWith("Slack delivery to SignalCraft Demo works again", recovered.Json.GetProperty("notice").GetProperty("text").GetString());
        await AdvanceMinutesAsync(s, 2);
        Assert.Single(Notices(s, WebhookNoticeTypes.SlackDown));
        Assert.Single(Notices(s, WebhookNoticeTypes.SlackRecovered));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SendsFailWith5xx_FallbackToldAfterThreshold_NotBefore(DatabaseProvider provider)
    {
        await using var s = await FallbackScenario.StartAsync(provider);
        await s.Emulator.FailAsync(new { method = "chat.postMessage", kind = "http_error", durationSeconds = 3600 });
        var start = s.App.Clock.GetUtcNow().UtcDateTime;
        await s.SendCriticalAsync("9101");

        await AdvanceMinutesAsync(s, 4);
        Assert.Empty(Notices(s, WebhookNoticeTypes.SlackDown));

        await AdvanceMinutesAsync(s, 2);
        var told = (await s.Fallback.WaitForAsync(r => r.Any(x => x.Type == WebhookNoticeTypes.SlackDown), "the Slack-down notice"))
            .Single(r => r.Type == WebhookNoticeTypes.SlackDown);
        var notice = told.Json.GetProperty("notice");
        Assert.Equal(start, notice.GetProperty("since").GetDateTime(), TimeSpan.FromSeconds(1));
        Assert.Contains("HTTP 500", notice.GetProperty("reason").GetString());

        await AdvanceMinutesAsync(s, 3);
        Assert.Single(Notices(s, WebhookNoticeTypes.SlackDown));
    }

    [Fact]
    public async Task SlackDownNoticeAfter_BelowAMinute_RefusedAtStart()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?> { ["Notify:SlackDownNoticeAfter"] = "00:00:10" });

        var error = Assert.ThrowsAny<Exception>(() => app.Start());
        Assert.Contains("Notify:SlackDownNoticeAfter", error.ToString());
    }

    private static List<WebhookReceiver.Received> Notices(FallbackScenario s, string type) => s.Fallback.Requests.Where(r => r.Type == type).ToList();

    /// <summary>Moves the clock a minute at a time, letting everything due run in between (the sweep looks once a minute).</summary>
    private static async Task AdvanceMinutesAsync(FallbackScenario s, int minutes)
    {
        for (var i = 0; i < minutes; i++)
        {
            await s.QuietAsync();
            s.App.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        await s.QuietAsync();
    }
}
