using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Integrations.Slack;
using SignalCraft.Jobs;
using SignalCraft.Notify;
using SignalCraft.Secrets;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.Notify.Slack;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Notify.Fallback;

/// <summary>
/// An app and the Slack emulator on one clock, a connected workspace with a Sentry integration, a rule to #alerts and a
/// webhook receiver set as the workspace's fallback through the settings API.
/// </summary>
internal sealed class FallbackScenario : IAsyncDisposable
{
    public const string Critical = "event_alert.fatal.production";

    private TestDatabase _db = null!;

    public SignalCraftApp App { get; private set; } = null!;
    public SlackEmulatorHost Emulator { get; private set; } = null!;
    public WebhookReceiver Fallback { get; private set; } = null!;
    public TestUser Owner { get; private set; } = null!;
    public SentryIntegrationApi.Created Integration { get; private set; } = null!;

    public static async Task<FallbackScenario> StartAsync(DatabaseProvider provider, IDictionary<string, string?>? settings = null)
    {
        var s = new FallbackScenario { _db = await TestDatabase.CreateAsync(provider) };
        s.App = new SignalCraftApp(s._db, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Notify:AllowPrivateTargets"] = "true",
        });
        s.Emulator = new SlackEmulatorHost(s.App.Clock);
        s.App.Configure(s.Emulator.AppSettings());
        s.App.Start();
        s.Fallback = await WebhookReceiver.StartAsync();
        s.Owner = await s.App.RegisterAsync("owner@example.com", "Acme");
        s.Integration = await SentryIntegrationApi.CreateAsync(s.Owner);
        await SlackTestKit.ConnectedAsync(s.Owner);
        await SlackTestKit.CreateRuleAsync(s.Owner, "#alerts");
        var put = await s.Owner.Client.PutAsJsonAsync("/api/workspace/settings", new { fallback = new { kind = "webhook", url = s.Fallback.Url() } });
        await put.AssertStatusAsync(HttpStatusCode.OK);
        return s;
    }

    public Task<long> SendCriticalAsync(string issueId) => SlackTestKit.SendAlertAsync(Owner, Integration, Critical, issueId);

    /// <summary>The fallback webhooks received for one group.</summary>
    public List<WebhookReceiver.Received> FallbacksFor(long groupId) =>
        Fallback.Requests.Where(r => r.Json.GetProperty("group").GetProperty("id").GetInt64() == groupId).ToList();

    public Task<JsonElement> LogAsync(long groupId) => Owner.Client.GetFromJsonAsync<JsonElement>($"/api/notifications?groupId={groupId}");

    public Task<JsonElement> GroupAsync(long groupId) => Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{groupId}");

    public Task<List<Job>> JobsAsync(string kind) => App.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>()
        .Set<Job>().AsNoTracking().Where(j => j.Kind == kind).OrderBy(j => j.Id).ToListAsync());

    /// <summary>The bot token SignalCraft holds (decrypted here only to tell the emulator which token to revoke).</summary>
    public Task<string> BotTokenAsync() => App.WithScopeAsync(async sp =>
    {
        var connection = await sp.GetRequiredService<SignalCraftDbContext>().Set<SlackConnection>().IgnoreQueryFilters().SingleAsync();
        return sp.GetRequiredService<SecretProtector>().Unprotect(SlackTokens.TokenPurpose, connection.TokenProtected);
    });

    /// <summary>Waits until no job is running or due: everything that will happen before the clock moves has happened.</summary>
    public Task QuietAsync() => Eventually.WaitAsync(() => App.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<Job>()
        .CountAsync(j => j.State == JobState.Running || j.State == JobState.Available || ((j.State == JobState.Retryable || j.State == JobState.Scheduled)
            && j.ScheduledAt <= App.Clock.GetUtcNow().UtcDateTime))), n => n == 0, "no job running or due");

    public Task<List<NotificationLog>> LogRowsAsync(long groupId) => App.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>()
        .Set<NotificationLog>().AsNoTracking().Where(l => l.GroupId == groupId).OrderBy(l => l.Id).ToListAsync());

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Emulator.DisposeAsync();
        await Fallback.DisposeAsync();
        await _db.DisposeAsync();
    }
}
