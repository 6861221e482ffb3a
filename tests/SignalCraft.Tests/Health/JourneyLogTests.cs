using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Hosting;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.Notify.Slack;
using SignalCraft.Tests.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Health;

/// <summary>
/// A whole journey with every log turned up — connect Slack by OAuth, invite a member, a Sentry webhook, the Slack
/// message, an Ack click — and then every line at every level is searched for every credential the journey handled.
/// The Slack post's lines carry the correlation id the webhook was answered with.
/// </summary>
public sealed class JourneyLogTests
{
    [Fact]
    public async Task WebhookToSlackToClick_NoLogLineHoldsASecret_AndThePostLogsUnderTheWebhooksCorrelationId()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
            ["Logging:LogLevel:System.Net.Http"] = "Information",
        });
        await using var slack = new SlackEmulatorHost(app.Clock);
        app.Configure(slack.AppSettings());
        app.Start();
        var collector = new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions()));
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(new FakeLoggerProvider(collector));
        var owner = await app.RegisterAsync("owner@example.com", "Acme");

        var callback = await SlackTestKit.AuthorizeAsync(await SlackTestKit.StartConnectAsync(owner));
        using (var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(callback)).StatusCode);
        }
        var oauth = System.Web.HttpUtility.ParseQueryString(callback.Query);
        var inviteToken = TestUser.TokenOf(await owner.InviteAsync("member@example.com", WorkspaceRole.Member));
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        await SlackTestKit.CreateRuleAsync(owner, "#alerts");
        await slack.PutAsync("/_emulator/apps/A0EMULATOR",
            new { requestUrl = new Uri(owner.Client.BaseAddress!, SignalCraft.Actions.SlackActionsEndpoint.Path).ToString() });

        var fixture = Grouping.NoisyAlerts.WithEventId(SentryFixture.Load("event_alert.error.production"), "journey-event-1");
        using var client = app.CreateClient();
        var answer = await SentryWebhookClient.PostAsync(client, integration.Path, fixture, app);
        await answer.AssertStatusAsync(HttpStatusCode.Accepted);
        var correlation = Assert.Single(answer.Headers.GetValues(Correlation.Header));
        var groupId = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("groupId").GetInt64();
        var message = (await SlackTestKit.WaitForMessagesAsync(slack, 1)).Single();
        var click = await slack.PostAsync("/_emulator/click", new
        {
            teamId = SlackEmulatorHost.TeamId, channel = SlackEmulatorHost.Alerts, ts = message.GetProperty("ts").GetString(),
            actionId = SignalCraft.Notify.Slack.SlackMessageBuilder.AckAction, userId = "U0ALICE",
        });
        Assert.Equal(200, click.GetProperty("status").GetInt32());
        await Eventually.WaitAsync(() => owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{groupId}"),
            g => g.GetProperty("group").GetProperty("status").GetString() == "acknowledged", "the group acknowledged from Slack");
        await Eventually.WaitAsync(() => slack.MessagesAsync(), m => SlackTestKit.BlockText(m[0]).Contains("Acknowledged"), "the message updated");

        var records = collector.GetSnapshot();
        var lines = records.Select(r => string.Join(" | ", new[] { r.Category, r.Message, r.Exception?.ToString() }
            .Concat(r.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? [])
            .Concat(r.Scopes.Select(s => s is IEnumerable<KeyValuePair<string, object?>> kvs
                ? string.Join(",", kvs.Select(kv => $"{kv.Key}={kv.Value}")) : s?.ToString())))).ToList();
        var urlKey = integration.Path.TrimEnd('/').Split('/')[^1];
        var secrets = new Dictionary<string, string>
        {
            ["the integration's URL key"] = urlKey,
            ["the Sentry client secret"] = SentryFixture.ClientSecret,
            ["the Sentry signature"] = fixture.Headers["Sentry-Hook-Signature"],
            ["the OAuth code"] = oauth["code"]!,
            ["the OAuth state"] = oauth["state"]!,
            ["a Slack bot token"] = "xoxb-",
            ["a Slack refresh token"] = "xoxe",
            ["the Slack client secret"] = SlackEmulatorHost.ClientSecret,
            ["the Slack signing secret"] = SlackEmulatorHost.SigningSecret,
            ["the invite token"] = inviteToken,
            ["the password"] = owner.Password,
        };
        Assert.True(lines.Count > 20, $"only {lines.Count} log lines: the journey was not logged");
        foreach (var (what, secret) in secrets)
        {
            var leak = lines.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"{what} is in a log line: {leak}");
        }
        // The job that posted to Slack ran under the id the webhook was answered with.
        Assert.Contains(records, r => r.Message.Contains("(send_notification)", StringComparison.Ordinal)
            && r.Scopes.OfType<IEnumerable<KeyValuePair<string, object>>>().Any(s => s.Any(kv => kv.Key == "CorrelationId" && Equals(kv.Value, correlation))));
    }
}
