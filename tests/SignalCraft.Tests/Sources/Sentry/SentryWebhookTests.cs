using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Integrations;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Sources.Sentry;

public sealed class SentryWebhookTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PostSentryWebhook_EveryFixture_IsAcceptedStoredAndNormalized(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var signed = await SentryWebhookClient.CreateAsync(app);
        var legacy = await SentryWebhookClient.CreateAsync(app, mode: "legacy", clientSecret: null, workspaceId: signed.WorkspaceId);

        foreach (var name in SentryFixture.Names)
        {
            var isLegacy = name.StartsWith("legacy", StringComparison.Ordinal);
            var response = await SentryWebhookClient.PostAsync(client, isLegacy ? legacy.Url : signed.Url, SentryFixture.Load(name), app);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var events = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<AlertEvent>().ToListAsync());
        Assert.Equal(SentryFixture.Names.Count(), events.Count);

        var fatal = Assert.Single(events, e => e.Identity == "issue:6124001337");
        Assert.Equal(("orders-api", "production", Severity.Critical, "issue:6124001337"), (fatal.Project, fatal.Environment, fatal.Severity, fatal.Identity));
        Assert.Equal(new DateTime(2025, 3, 14, 11, 2, 7, 118, DateTimeKind.Utc), fatal.OccurredAt);
        Assert.NotNull(fatal.GroupId);
        Assert.Contains("\"event_id\"", fatal.RawPayload);

        var noEnv = Assert.Single(events, e => e.Identity == "issue:1117540176");
        Assert.Null(noEnv.Environment);
        Assert.Equal("front-end", noEnv.Project);

        var wire = Assert.Single(events, e => e.Identity == "issue:6124200042");
        Assert.Equal("Bericht „Umsätze Q1“ für Zürich erstellt – 1\u202F284 Zeilen ✓", wire.Title);
        Assert.Equal(Severity.Low, wire.Severity);

        var legacyEvent = Assert.Single(events, e => e.IntegrationId == legacy.Id);
        Assert.Equal(("billing-worker", "production", Severity.High), (legacyEvent.Project, legacyEvent.Environment, legacyEvent.Severity));

        var installation = Assert.Single(events, e => e.Action == "installation.created");
        Assert.Null(installation.GroupId);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PostSentryWebhook_TwentyConcurrentDuplicates_StoreOneEvent(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);
        var fixture = SentryFixture.Load("event_alert.error.production");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SentryWebhookClient.PostAsync(client, integration.Url, fixture, app)));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        var (events, groups) = await app.WithScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<SignalCraftDbContext>();
            return (await context.Set<AlertEvent>().CountAsync(), await context.Set<AlertGroup>().SingleAsync());
        });
        Assert.Equal(1, events);
        Assert.Equal(1, groups.Count);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PostSentryWebhook_BadInput_AnswersClear4xxStoresNothingAndCountsTheReason(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var signed = await SentryWebhookClient.CreateAsync(app);
        var legacy = await SentryWebhookClient.CreateAsync(app, mode: "legacy", clientSecret: null, workspaceId: signed.WorkspaceId);
        var noSecret = await SentryWebhookClient.CreateAsync(app, clientSecret: null, workspaceId: signed.WorkspaceId);
        var disabled = await SentryWebhookClient.CreateAsync(app, workspaceId: signed.WorkspaceId, enabled: false);
        var fixture = SentryFixture.Load("event_alert.error.production");
        var legacyFixture = SentryFixture.Load("legacy-webhooks-plugin.error.production");

        var cases = new (string Name, Func<Task<HttpResponseMessage>> Send, HttpStatusCode Status, string Detail, long IntegrationId, string Reason)[]
        {
            ("unknown key", () => SentryWebhookClient.PostAsync(client, "/webhooks/sentry/nope-not-a-key", fixture, app),
                HttpStatusCode.NotFound, "No enabled Sentry integration", 0, WebhookReasons.UnknownKey),
            ("disabled", () => SentryWebhookClient.PostAsync(client, disabled.Url, fixture, app),
                HttpStatusCode.NotFound, "No enabled Sentry integration", disabled.Id, WebhookReasons.Disabled),
            ("bad signature", () => SentryWebhookClient.PostAsync(client, signed.Url, fixture, app, body: Tampered(fixture.Body)),
                HttpStatusCode.Unauthorized, "does not match", signed.Id, WebhookReasons.BadSignature),
            ("missing signature", () => SentryWebhookClient.PostAsync(client, signed.Url, fixture, app, r => r.Headers.Remove("Sentry-Hook-Signature")),
                HttpStatusCode.Unauthorized, "header is missing", signed.Id, WebhookReasons.MissingSignature),
            ("stale timestamp", () => SentryWebhookClient.PostAsync(client, signed.Url, fixture, app, r =>
                {
                    r.Headers.Remove("Sentry-Hook-Timestamp");
                    r.Headers.Add("Sentry-Hook-Timestamp", app.Clock.GetUtcNow().AddMinutes(-6).ToUnixTimeSeconds().ToString());
                }), HttpStatusCode.Unauthorized, "5 minutes", signed.Id, WebhookReasons.StaleTimestamp),
            ("oversize", () => SentryWebhookClient.PostAsync(client, signed.Url, fixture, app, body: new byte[1024 * 1024 + 1]),
                HttpStatusCode.RequestEntityTooLarge, "limited to", signed.Id, WebhookReasons.TooLarge),
            ("legacy body to signed", () => SentryWebhookClient.PostAsync(client, signed.Url, legacyFixture, app),
                HttpStatusCode.BadRequest, "signed mode", signed.Id, WebhookReasons.WrongMode),
            ("signed body to legacy", () => SentryWebhookClient.PostAsync(client, legacy.Url, fixture, app),
                HttpStatusCode.BadRequest, "legacy mode", legacy.Id, WebhookReasons.WrongMode),
            ("no client secret", () => SentryWebhookClient.PostAsync(client, noSecret.Url, fixture, app),
                HttpStatusCode.Conflict, "client secret", noSecret.Id, WebhookReasons.NoClientSecret),
        };

        foreach (var c in cases)
        {
            var response = await c.Send();
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(c.Status == response.StatusCode, $"{c.Name}: expected {c.Status}, got {(int)response.StatusCode} {text}");
            Assert.Contains(c.Detail, text);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        await app.Services.GetRequiredService<WebhookCounters>().FlushAsync(CancellationToken.None);
        var (events, groups, outcomes, integrations) = await app.WithScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<SignalCraftDbContext>();
            return (await context.Set<AlertEvent>().CountAsync(), await context.Set<AlertGroup>().CountAsync(),
                await context.Set<WebhookOutcome>().ToListAsync(), await context.Set<Integration>().ToListAsync());
        });
        Assert.Equal(0, events);
        Assert.Equal(0, groups);
        foreach (var c in cases)
        {
            Assert.Contains(outcomes, o => o.IntegrationId == c.IntegrationId && o.Reason == c.Reason && o.Count >= 1);
        }
        Assert.Equal(WebhookReasons.NoClientSecret, integrations.Single(i => i.Id == noSecret.Id).LastRejectionReason);
        Assert.Null(integrations.Single(i => i.Id == signed.Id).LastWebhookAt);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PostSentryWebhook_AuthenticButUnparseable_Answers202AndQuarantinesWithinCap(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);
        var fixture = SentryFixture.Load("event_alert.error.production");

        for (var i = 0; i < Quarantine.MaxBodies + 3; i++)
        {
            var body = Encoding.UTF8.GetBytes($"{{\"action\":\"triggered\",\"data\":{{\"event\": {i}");
            var response = await SentryWebhookClient.PostAsync(client, integration.Url, fixture, app, r =>
            {
                r.Headers.Remove("Sentry-Hook-Signature");
                r.Headers.Add("Sentry-Hook-Signature", SignalCraft.Sources.Sentry.SentrySignatureVerifier.Sign(body, SentryFixture.ClientSecret));
            }, body);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Contains("quarantined", await response.Content.ReadAsStringAsync());
        }

        var (quarantined, dropped, events) = await app.WithScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<SignalCraftDbContext>();
            return (await context.Set<QuarantinedBody>().CountAsync(),
                (await context.Set<Integration>().SingleAsync(x => x.Id == integration.Id)).QuarantineDropped,
                await context.Set<AlertEvent>().CountAsync());
        });
        Assert.Equal(Quarantine.MaxBodies, quarantined);
        Assert.Equal(3, dropped);
        Assert.Equal(0, events);
    }

    [Fact]
    public async Task PostSentryWebhook_ManyBadSignaturesFromOneAddress_Answers429ButValidStillAccepted()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?> { ["Sources:FailuresPerMinute"] = "5" });
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);
        var fixture = SentryFixture.Load("event_alert.error.production");
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 8; i++)
        {
            statuses.Add((await SentryWebhookClient.PostAsync(client, integration.Url, fixture, app, body: Tampered(fixture.Body))).StatusCode);
            if (i == 6)
            {
                var valid = await SentryWebhookClient.PostAsync(client, integration.Url, fixture, app);
                Assert.Equal(HttpStatusCode.Accepted, valid.StatusCode);
            }
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), statuses.Take(5));
        Assert.All(statuses.Skip(5), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
    }

    private static byte[] Tampered(byte[] body)
    {
        var copy = (byte[])body.Clone();
        copy[^10] = (byte)(copy[^10] == (byte)'a' ? 'b' : 'a');
        return copy;
    }
}
