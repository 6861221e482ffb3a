using System.Net;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Sources.Sentry;

/// <summary>
/// The database outage answer is a timing promise (503 within a second), so it runs in the collection that runs
/// alone: with the rest of the suite in parallel on two cores, a starved thread pool would measure the machine.
/// </summary>
[Collection(AppProcessCollection.Name)]
public sealed class SentryOutageTests
{
    [Fact]
    public async Task PostSentryWebhook_PostgresBlackholed_Answers503WithinOneSecond()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var (host, port) = db.PostgresEndpoint;
        await using var proxy = new TcpProxy(host, port);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = db.ViaProxy(proxy.Port),
            ["Sources:AcceptTimeout"] = new SignalCraft.Sources.SourcesOptions().AcceptTimeout.ToString(),
        });
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);
        var fixture = SentryFixture.Load("event_alert.error.production");

        proxy.Blackhole();
        proxy.CutExisting();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await SentryWebhookClient.PostAsync(client, integration.Url, fixture, app);
        watch.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("nothing was stored", await response.Content.ReadAsStringAsync());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed.TotalMilliseconds:F0} ms");
    }
}
