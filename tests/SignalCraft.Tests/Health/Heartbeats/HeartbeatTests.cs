using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Tests.Notify.Fallback;
using SignalCraft.Tests.Notify.Slack;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Health.Heartbeats;

/// <summary>
/// A source with <c>expectedIntervalMinutes</c> that goes silent raises SignalCraft's own alert (source <c>signalcraft</c>),
/// routed like any other by a rule on that source; its next webhook resolves it. Time moves on the app's fake clock.
/// </summary>
public sealed class HeartbeatTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SilentSource_RaisesSignalCraftAlertRoutedToSlack_TrafficReturns_Resolved(DatabaseProvider provider)
    {
        await using var s = await FallbackScenario.StartAsync(provider);
        var rule = await s.Owner.Client.PostAsJsonAsync("/api/routing-rules", new
        {
            name = "SignalCraft's own alerts",
            conditions = new { sources = new[] { "signalcraft" } },
            actions = new { targets = new[] { new { kind = "slack", channel = "#oncall" } }, mention = "none" },
        });
        await rule.AssertStatusAsync(HttpStatusCode.Created);
        var patch = await s.Owner.Client.PatchAsJsonAsync($"/api/integrations/{s.Integration.Id}", new { expectedIntervalMinutes = 10 });
        await patch.AssertStatusAsync(HttpStatusCode.OK);
        await SlackTestKit.SendAlertAsync(s.Owner, s.Integration, issueId: "8001");
        await WaitHeardAsync(s, s.App.Clock.GetUtcNow().UtcDateTime);

        await s.QuietAsync();
        s.App.Clock.Advance(TimeSpan.FromMinutes(9)); // still within the expected interval
        await s.QuietAsync();
        Assert.Null(await HeartbeatGroupAsync(s));

        s.App.Clock.Advance(TimeSpan.FromMinutes(2)); // silent for 11 minutes now
        await s.QuietAsync();
        var raised = await Eventually.WaitAsync(() => HeartbeatGroupAsync(s), g => g is not null, "SignalCraft's heartbeat alert");
        Assert.Equal(GroupStatus.Open, raised!.Status);
        Assert.Equal(Severity.High, raised.Severity);
        Assert.Equal(s.Integration.Id, raised.IntegrationId);
        Assert.Contains("for over 10 minutes", raised.Title);
        var posted = await SlackTestKit.WaitForMessagesAsync(s.Emulator, 1, SlackEmulatorHost.Oncall);
        Assert.Equal(raised.Id, posted.Single().GetProperty("metadata").GetProperty("event_payload").GetProperty("group_id").GetInt64());
        var inbox = await s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{raised.Id}");
        Assert.Equal("signalcraft", inbox.GetProperty("group").GetProperty("source").GetString());

        // A further look while still silent raises nothing new.
        s.App.Clock.Advance(TimeSpan.FromMinutes(1));
        await s.QuietAsync();
        Assert.Equal(1, await HeartbeatGroupCountAsync(s));

        await SlackTestKit.SendAlertAsync(s.Owner, s.Integration, issueId: "8002");
        await WaitHeardAsync(s, s.App.Clock.GetUtcNow().UtcDateTime);
        s.App.Clock.Advance(TimeSpan.FromMinutes(1));
        var resolved = await Eventually.WaitAsync(() => HeartbeatGroupAsync(s), g => g?.Status == GroupStatus.Resolved, "the heartbeat alert resolved");
        Assert.Equal(Resolution.Source, resolved!.Resolution);
        Assert.Equal(1, await HeartbeatGroupCountAsync(s));
    }

    private static Task WaitHeardAsync(FallbackScenario s, DateTime at) => Eventually.WaitAsync(
        () => s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/integrations/{s.Integration.Id}"),
        i => i.GetProperty("lastWebhookAt").ValueKind == JsonValueKind.String && i.GetProperty("lastWebhookAt").GetDateTime() >= at, "the webhook recorded");

    private static Task<AlertGroup?> HeartbeatGroupAsync(FallbackScenario s) => s.App.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>()
        .Set<AlertGroup>().IgnoreQueryFilters().AsNoTracking().Where(g => g.Source == "signalcraft").OrderByDescending(g => g.Id).FirstOrDefaultAsync());

    private static Task<int> HeartbeatGroupCountAsync(FallbackScenario s) => s.App.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>()
        .Set<AlertGroup>().IgnoreQueryFilters().CountAsync(g => g.Source == "signalcraft"));
}
