using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SignalCraft.Data;
using SignalCraft.Hosting;
using SignalCraft.Notify.Webhook;
using SignalCraft.Tests.Grouping;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Hosting;

/// <summary>The correlation id a webhook is answered with is the one its notification job logs under.</summary>
public sealed class CorrelationTests
{
    [Fact]
    public async Task Webhook_AnsweredWithACorrelationId_TheNotificationItCausedLogsUnderIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?>
        {
            ["Notify:AllowPrivateTargets"] = "true", ["Logging:LogLevel:SignalCraft.Jobs"] = "Debug",
        });
        app.Start();
        var logs = new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions()));
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(new FakeLoggerProvider(logs));
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        (await owner.Client.PostAsJsonAsync("/api/routing-rules", new
        {
            name = "everything", actions = new { targets = new[] { new { kind = "webhook", url = receiver.Url() } } },
        })).EnsureSuccessStatusCode();

        using var client = app.CreateClient();
        var response = await SentryWebhookClient.PostAsync(client, integration.Path,
            NoisyAlerts.WithEventId(SentryFixture.Load("event_alert.error.production"), "correlated1"), app);
        response.EnsureSuccessStatusCode();
        var id = Assert.Single(response.Headers.GetValues(Correlation.Header));
        Assert.Matches("^[0-9a-f]{16}$", id);
        await receiver.WaitForAsync(r => r.Any(x => x.Type == WebhookEventTypes.Opened), "the first notification");

        var sent = await Eventually.WaitAsync(() => Task.FromResult(logs.GetSnapshot()
                .Where(r => r.Message.Contains("(send_notification)", StringComparison.Ordinal)).ToList()),
            records => records.Count > 0, "the send job's log line");
        Assert.Contains(sent, r => r.Scopes.OfType<IEnumerable<KeyValuePair<string, object>>>()
            .Any(s => s.Any(kv => kv.Key == "CorrelationId" && Equals(kv.Value, id))));

        // A caller may bring its own id (a proxy's, a retry's); a malformed one is replaced, never echoed.
        var offered = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        offered.Headers.Add(Correlation.Header, "lb-7f3a-01");
        Assert.Equal("lb-7f3a-01", Assert.Single((await client.SendAsync(offered)).Headers.GetValues(Correlation.Header)));
        var hostile = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        hostile.Headers.TryAddWithoutValidation(Correlation.Header, "x\" onmouseover=alert(1)");
        Assert.Matches("^[0-9a-f]{16}$", Assert.Single((await client.SendAsync(hostile)).Headers.GetValues(Correlation.Header)));
    }
}
