using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Tests.Grouping;
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
        await using var s = await BehindProxy.StartAsync(new()
        {
            ["Sources:AcceptTimeout"] = new SignalCraft.Sources.SourcesOptions().AcceptTimeout.ToString(),
        });
        var (proxy, app) = (s.Proxy, s.App);
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

    [Fact]
    public async Task SlowConnectionOpens_IngestRecovers_InsteadOfAnswering503ToEveryone()
    {
        // Opening a database connection takes longer than a webhook may wait (a loaded host): each webhook gives up
        // on the connection it was opening. Ingest must still fill its pool and accept again, with nothing lost.
        await using var s = await BehindProxy.StartAsync(new()
        {
            ["Sources:AcceptTimeout"] = new SignalCraft.Sources.SourcesOptions().AcceptTimeout.ToString(),
            ["Jobs:Workers"] = "0", // no worker opening connections of its own in the background
        });
        var (proxy, app) = (s.Proxy, s.App);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);
        var fixture = SentryFixture.Load("event_alert.error.production");

        proxy.ConnectDelay = TimeSpan.FromSeconds(1.5);
        proxy.CutExisting();

        const int concurrency = 16;
        var accepted = 0;
        var answered503 = 0;
        var fullRound = false;
        var deadline = DateTime.UtcNow.AddSeconds(45);
        for (var round = 0; round < 60 && !fullRound && DateTime.UtcNow < deadline; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => SentryWebhookClient.PostAsync(
                client, integration.Url, NoisyAlerts.WithEventId(fixture, NoisyAlerts.NewEventId(round * concurrency + i)), app)));
            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.ServiceUnavailable }));
            var ok = responses.Count(r => r.StatusCode == HttpStatusCode.Accepted);
            accepted += ok;
            answered503 += concurrency - ok;
            fullRound = ok == concurrency;
        }

        Assert.True(answered503 > 0, "the slow opens should have cost some webhooks their budget");
        Assert.True(fullRound, $"no round of {concurrency} webhooks was fully accepted within 45 s ({accepted} accepted, {answered503} answered 503)");
        proxy.ConnectDelay = TimeSpan.Zero;
        var stored = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<SignalCraft.Alerts.AlertEvent>()
            .IgnoreQueryFilters().CountAsync(e => e.IntegrationId == integration.Id));
        Assert.Equal(accepted, stored);
    }

    [Fact]
    public async Task SlowConnectionOpens_ReadyzBecomesReady_InsteadOfStayingUnready()
    {
        // The same slow opens as above, seen by a load balancer's readiness probe: each probe gives up after its
        // 800 ms, and the instance must still become ready rather than be kept out of rotation for good. (It does
        // without a refill of its own: one pooled connection is enough, and the app's background work opens one.)
        await using var s = await BehindProxy.StartAsync(new() { ["Jobs:Workers"] = "0" });
        var (proxy, app) = (s.Proxy, s.App);
        var client = app.Start();
        proxy.ConnectDelay = TimeSpan.FromSeconds(1.5);
        proxy.CutExisting(); // the connections the start-up pooled are gone; the first probe finds them dead

        var answers = new List<HttpStatusCode>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && answers.LastOrDefault() != HttpStatusCode.OK)
        {
            using var response = await client.GetAsync("/readyz");
            answers.Add(response.StatusCode);
            await Task.Delay(200);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answers[0]);
        Assert.True(answers[^1] == HttpStatusCode.OK,
            $"/readyz never answered 200 in 30 s while connection opens took 1.5 s ({answers.Count} probes, all 503)");
    }

    /// <summary>SignalCraft on PostgreSQL through a loopback TCP proxy that a test can cut, blackhole or slow down.</summary>
    private sealed record BehindProxy(TestDatabase Db, TcpProxy Proxy, SignalCraftApp App) : IAsyncDisposable
    {
        public static async Task<BehindProxy> StartAsync(Dictionary<string, string?> settings)
        {
            var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
            var (host, port) = db.PostgresEndpoint;
            var proxy = new TcpProxy(host, port);
            settings["ConnectionStrings:Postgres"] = db.ViaProxy(proxy.Port);
            return new BehindProxy(db, proxy, new SignalCraftApp(db, settings));
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Proxy.DisposeAsync();
            await Db.DisposeAsync();
        }
    }
}
