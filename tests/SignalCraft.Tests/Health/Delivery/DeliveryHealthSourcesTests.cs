using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Data;
using SignalCraft.Integrations;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Health.Delivery;

/// <summary>Each rejected webhook lands in its reason's counter, the last one is named, and the row says what to fix.</summary>
public sealed class DeliveryHealthSourcesTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task RejectedWebhooks_EachReason_InItsCounterWithTheLastReason(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var signed = await SentryIntegrationApi.CreateAsync(owner);
        var legacy = await SentryIntegrationApi.CreateAsync(owner, mode: "legacy", clientSecret: null);
        var noSecret = await SentryIntegrationApi.CreateAsync(owner, clientSecret: null);
        var disabled = await SentryIntegrationApi.CreateAsync(owner);
        await (await owner.Client.PatchAsJsonAsync($"/api/integrations/{disabled.Id}", new { enabled = false })).AssertStatusAsync(HttpStatusCode.OK);
        var fixture = SentryFixture.Load("event_alert.error.production");

        await SentryIntegrationApi.SendAsync(owner, signed);
        var sends = new (SentryIntegrationApi.Created To, Func<Task<HttpResponseMessage>> Send, string Reason)[]
        {
            (signed, () => SentryWebhookClient.PostAsync(client, signed.Path, fixture, app, body: Tampered(fixture.Body)), WebhookReasons.BadSignature),
            (signed, () => SentryWebhookClient.PostAsync(client, signed.Path, fixture, app, r => r.Headers.Remove("Sentry-Hook-Signature")),
                WebhookReasons.MissingSignature),
            (signed, () => SentryWebhookClient.PostAsync(client, signed.Path, fixture, app, r =>
            {
                r.Headers.Remove("Sentry-Hook-Timestamp");
                r.Headers.Add("Sentry-Hook-Timestamp", app.Clock.GetUtcNow().AddMinutes(-6).ToUnixTimeSeconds().ToString());
            }), WebhookReasons.StaleTimestamp),
            (signed, () => SentryWebhookClient.PostAsync(client, signed.Path, fixture, app, body: new byte[1024 * 1024 + 1]), WebhookReasons.TooLarge),
            (signed, () => SentryWebhookClient.PostAsync(client, signed.Path, SentryFixture.Load("legacy-webhooks-plugin.error.production"), app),
                WebhookReasons.WrongMode),
            (legacy, () => SentryWebhookClient.PostAsync(client, legacy.Path, fixture, app), WebhookReasons.WrongMode),
            (noSecret, () => SentryWebhookClient.PostAsync(client, noSecret.Path, fixture, app), WebhookReasons.NoClientSecret),
            (disabled, () => SentryWebhookClient.PostAsync(client, disabled.Path, fixture, app), WebhookReasons.Disabled),
        };
        foreach (var (_, send, reason) in sends)
        {
            var response = await send();
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{reason}: answered {(int)response.StatusCode}");
        }

        var report = await owner.Client.GetFromJsonAsync<JsonElement>("/api/health/delivery");
        JsonElement Row(SentryIntegrationApi.Created i) => report.GetProperty("sources").EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == i.Id);
        foreach (var group in sends.GroupBy(x => x.To))
        {
            var row = Row(group.Key);
            foreach (var window in new[] { "lastHour", "last24Hours" })
            {
                var rejected = Counts(row.GetProperty(window).GetProperty("rejectedByReason"));
                var expected = group.GroupBy(x => x.Reason).ToDictionary(g => g.Key, g => g.Count());
                Assert.Equal(expected.OrderBy(e => e.Key), rejected.OrderBy(e => e.Key));
                Assert.Equal(group.Count(), row.GetProperty(window).GetProperty("rejected").GetInt32());
            }
            Assert.Equal(group.Last().Reason, row.GetProperty("lastRejectionReason").GetString());
        }
        var signedRow = Row(signed);
        Assert.Equal(1, signedRow.GetProperty("lastHour").GetProperty("accepted").GetInt32());
        Assert.Equal("amber", signedRow.GetProperty("state").GetString());
        Assert.Equal("5 webhooks from Sentry refused in the last hour (last: payload of the other mode just now) — "
            + "switch the integration's mode (signed or legacy) to match how Sentry sends", signedRow.GetProperty("reason").GetString());
        Assert.Equal("red", Row(legacy).GetProperty("state").GetString());
        Assert.StartsWith("every webhook from Sentry in the last hour was refused (1,", Row(legacy).GetProperty("reason").GetString());
        Assert.Equal("red", Row(noSecret).GetProperty("state").GetString());
        Assert.Contains("paste the integration's Client Secret", Row(noSecret).GetProperty("reason").GetString());
        Assert.Equal("amber", Row(disabled).GetProperty("state").GetString());
        Assert.Contains("disabled", Row(disabled).GetProperty("reason").GetString());
        Assert.Equal("red", report.GetProperty("state").GetString());

        // Two hours on, the last hour is clean and the 24 h counters still hold every refusal.
        app.Clock.Advance(TimeSpan.FromHours(2));
        await owner.SignInAgainAsync();
        var later = await owner.Client.GetFromJsonAsync<JsonElement>("/api/health/delivery");
        var signedLater = later.GetProperty("sources").EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == signed.Id);
        Assert.Equal(0, signedLater.GetProperty("lastHour").GetProperty("rejected").GetInt32());
        Assert.Equal(5, signedLater.GetProperty("last24Hours").GetProperty("rejected").GetInt32());
        Assert.Equal("green", signedLater.GetProperty("state").GetString());
        Assert.Equal("last webhook 2 h ago", signedLater.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task SilentSource_PastItsExpectedInterval_AmberThenRed()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var sentry = await SentryIntegrationApi.CreateAsync(owner);
        await (await owner.Client.PatchAsJsonAsync($"/api/integrations/{sentry.Id}", new { expectedIntervalMinutes = 60 })).AssertStatusAsync(HttpStatusCode.OK);
        await SentryIntegrationApi.SendAsync(owner, sentry);

        async Task<JsonElement> RowAsync()
        {
            await owner.SignInAgainAsync();
            return (await owner.Client.GetFromJsonAsync<JsonElement>("/api/health/delivery")).GetProperty("sources")[0];
        }
        Assert.Equal("green", (await RowAsync()).GetProperty("state").GetString());
        app.Clock.Advance(TimeSpan.FromMinutes(90));
        var amber = await RowAsync();
        Assert.Equal(("amber", "no webhook from Sentry for 1 h; expected at least hourly"),
            (amber.GetProperty("state").GetString(), amber.GetProperty("reason").GetString()));
        app.Clock.Advance(TimeSpan.FromMinutes(270));
        var red = await RowAsync();
        Assert.Equal(("red", "no webhook from Sentry for 6 h; expected at least hourly"),
            (red.GetProperty("state").GetString(), red.GetProperty("reason").GetString()));
    }

    private static Dictionary<string, int> Counts(JsonElement list) =>
        list.EnumerateArray().ToDictionary(c => c.GetProperty("reason").GetString()!, c => c.GetProperty("count").GetInt32());

    private static byte[] Tampered(byte[] body)
    {
        var copy = (byte[])body.Clone();
        copy[^10] = (byte)(copy[^10] == (byte)'a' ? 'b' : 'a');
        return copy;
    }
}
