using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using SignalCraft.Data;
using SignalCraft.Notify.Webhook;
using SignalCraft.Tests.Inbox;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Health;

/// <summary><c>/metrics</c> scraped as Prometheus would: the series move with traffic, and no label names a tenant.</summary>
public sealed partial class MetricsEndpointTests
{
    [Fact]
    public async Task Scrape_AfterTraffic_SeriesMoveAndNoLabelCarriesATenantIdentifier()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?> { ["Notify:AllowPrivateTargets"] = "true" });
        app.Start();
        var owner = await app.RegisterAsync("metrics-owner@example.com", "Metrics Tenant");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        (await owner.Client.PostAsJsonAsync("/api/routing-rules", new
        {
            name = "everything", actions = new { targets = new[] { new { kind = "webhook", url = receiver.Url() } } },
        })).EnsureSuccessStatusCode();
        using var anonymous = app.CreateClient();
        var before = Parse(await anonymous.GetStringAsync("/metrics"));

        await IssueSender.SendAsync(owner, integration, "900001", "m1");
        await IssueSender.SendAsync(owner, integration, "900002", "m2");
        var forged = SentryFixture.Load("event_alert.error.production");
        var headers = new Dictionary<string, string>(forged.Headers.ToDictionary(), StringComparer.OrdinalIgnoreCase)
        {
            ["Sentry-Hook-Signature"] = new string('0', 64),
        };
        var rejected = await SentryWebhookClient.PostAsync(anonymous, integration.Path, forged with { Headers = headers }, app);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        await receiver.WaitForAsync(r => r.Count(x => x.Type == WebhookEventTypes.Opened) == 2, "two first posts");

        // The receiver sees a post just before SignalCraft records its outcome: scrape until the figures catch up (bounded).
        string text = "";
        Dictionary<string, double> after = [];
        double Delta(string name, params string[] labels) => Sum(after, name, labels) - Sum(before, name, labels);
        bool Moved() => Delta("signalcraft_webhooks_received", "source=\"sentry\"", "outcome=\"accepted\"") >= 2
            && Delta("signalcraft_webhooks_received", "source=\"sentry\"", "outcome=\"bad_signature\"") >= 1
            && Delta("signalcraft_notifications", "outcome=\"sent\"", "kind=\"opened\"") >= 2
            && Delta("signalcraft_delivery_first_post_seconds_count") >= 2
            && after.Keys.Any(k => k.StartsWith("signalcraft_jobs_queued{", StringComparison.Ordinal)); // sampled every 5 s
        for (var deadline = DateTime.UtcNow.AddSeconds(15); !Moved(); await Task.Delay(100))
        {
            Assert.True(DateTime.UtcNow < deadline, "The series did not move:\n" + text);
            var scrape = await anonymous.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType);
            text = await scrape.Content.ReadAsStringAsync();
            after = Parse(text);
        }
        Assert.Contains(after.Keys, k => k.StartsWith("process_working_set_bytes", StringComparison.Ordinal));

        // No tenant in any label: no label is named for one, and no value is a workspace name, email or integration key.
        var labelNames = LabelRegex().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.DoesNotContain(labelNames, n => n.Contains("workspace") || n.Contains("integration") || n.Contains("user") || n.Contains("tenant"));
        var key = integration.Path.TrimEnd('/').Split('/')[^1];
        foreach (var secretish in new[] { "Metrics Tenant", "metrics-owner@example.com", key })
        {
            Assert.DoesNotContain(secretish, text, StringComparison.Ordinal);
        }
    }

    /// <summary>Series (name with its label set) → value, from the Prometheus text format.</summary>
    private static Dictionary<string, double> Parse(string text) => text.Split('\n')
        .Where(l => l.Length > 0 && l[0] != '#')
        .Select(l => (Series: l[..l.LastIndexOf(' ')], Value: l[(l.LastIndexOf(' ') + 1)..]))
        .GroupBy(x => x.Series).ToDictionary(g => g.Key, g => double.Parse(g.First().Value, System.Globalization.CultureInfo.InvariantCulture));

    private static double Sum(Dictionary<string, double> series, string name, params string[] labels) => series
        .Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal) || s.Key.StartsWith(name + "_total", StringComparison.Ordinal))
            && labels.All(l => s.Key.Contains(l, StringComparison.Ordinal)))
        .Sum(s => s.Value);

    [GeneratedRegex("[{,]([a-zA-Z_][a-zA-Z0-9_]*)=\"")]
    private static partial Regex LabelRegex();
}
