using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Sources.Sentry;

public sealed class SentryCredentialLoggingTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SentryWebhooks_InformationLogs_NeverContainTheUrlKeyOrClientSecret(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        });
        var client = app.Start();
        var logs = new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions()));
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(new FakeLoggerProvider(logs));
        var integration = await SentryWebhookClient.CreateAsync(app);

        foreach (var name in SentryFixture.Names.Where(n => !n.StartsWith("legacy", StringComparison.Ordinal)))
        {
            await SentryWebhookClient.PostAsync(client, integration.Url, SentryFixture.Load(name), app);
        }
        var fixture = SentryFixture.Load("event_alert.error.production");
        await SentryWebhookClient.PostAsync(client, integration.Url, fixture, app, r => r.Headers.Remove("Sentry-Hook-Signature"));
        await SentryWebhookClient.PostAsync(client, integration.Url, fixture, app, body: "{broken"u8.ToArray());
        await SentryWebhookClient.PostAsync(client, "/webhooks/sentry/" + integration.Key + "x", fixture, app);

        var records = logs.GetSnapshot();
        Assert.NotEmpty(records); // requests were logged, so the check below looked at something
        foreach (var record in records)
        {
            var text = record.Message + " " + record.Exception;
            Assert.DoesNotContain(integration.Key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(SentryFixture.ClientSecret, text, StringComparison.Ordinal);
        }
        Assert.Contains(records, r => r.Message.Contains("/webhooks/sentry/{key}", StringComparison.Ordinal));
    }
}
