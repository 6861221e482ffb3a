using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Tests.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Integrations;

public sealed class IntegrationsApiTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CreateThenPatchSecret_SetupOrderOfSentry_WebhooksAcceptedAfterTheSecret(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        using var anonymous = app.CreateClient();

        var integration = await SentryIntegrationApi.CreateAsync(owner, clientSecret: null);
        Assert.StartsWith(owner.Client.BaseAddress!.ToString().TrimEnd('/') + "/webhooks/sentry/", integration.WebhookUrl,
            StringComparison.Ordinal);
        var before = await SentryWebhookClient.PostAsync(anonymous, integration.Path, SentryFixture.Load("event_alert.error.production"), app);
        Assert.Contains("client secret", await before.AssertProblemAsync(HttpStatusCode.Conflict));

        var patch = await owner.Client.PatchAsJsonAsync($"/api/integrations/{integration.Id}", new { clientSecret = SentryFixture.ClientSecret });
        await patch.AssertStatusAsync(HttpStatusCode.OK);
        var patched = await patch.Content.ReadAsStringAsync();
        Assert.DoesNotContain(SentryFixture.ClientSecret, patched);
        Assert.Contains("\"hasClientSecret\":true", patched);

        await SentryIntegrationApi.SendAsync(owner, integration);
        var list = await owner.Client.GetFromJsonAsync<JsonElement>("/api/integrations");
        var row = list.EnumerateArray().Single();
        Assert.Equal(JsonValueKind.String, row.GetProperty("lastWebhookAt").ValueKind);
        Assert.Contains(row.GetProperty("accepted24h").EnumerateArray(), c => c.GetProperty("reason").GetString() == "accepted" && c.GetProperty("count").GetInt32() == 1);
        Assert.Contains(row.GetProperty("rejected24h").EnumerateArray(), c => c.GetProperty("reason").GetString() == "no_client_secret");
        Assert.DoesNotContain(SentryFixture.ClientSecret, list.GetRawText());
    }

    [Fact]
    public async Task RotateKeyAndDisable_OldUrlAndDisabledIntegration_Answer404()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        using var anonymous = app.CreateClient();
        var integration = await SentryIntegrationApi.CreateAsync(owner);

        var rotated = await owner.Client.PostAsync($"/api/integrations/{integration.Id}/rotate-key", null);
        var newUrl = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("webhookUrl").GetString()!;
        Assert.NotEqual(integration.WebhookUrl, newUrl);
        var old = await SentryWebhookClient.PostAsync(anonymous, integration.Path, SentryFixture.Load("event_alert.error.production"), app);
        await old.AssertProblemAsync(HttpStatusCode.NotFound);
        await SentryIntegrationApi.SendAsync(owner, integration with { WebhookUrl = newUrl });

        await owner.Client.PatchAsJsonAsync($"/api/integrations/{integration.Id}", new { enabled = false });
        var disabled = await SentryWebhookClient.PostAsync(anonymous, new Uri(newUrl).AbsolutePath,
            Grouping.NoisyAlerts.WithEventId(SentryFixture.Load("event_alert.error.production"), "ab12"), app);
        await disabled.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_AsMember_Is403AndExplicitShortKeyRefused()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var member = await owner.InviteAndJoinAsync(WorkspaceRole.Member);

        var refused = await member.Client.PostAsJsonAsync("/api/integrations", new { type = "sentry", name = "x" });
        await refused.AssertProblemAsync(HttpStatusCode.Forbidden);

        var shortKey = await owner.Client.PostAsJsonAsync("/api/integrations", new { type = "sentry", name = "x", key = "short" });
        var errors = await shortKey.AssertValidationProblemAsync();
        Assert.True(errors.TryGetProperty("key", out _));

        var explicitKey = "replay-key-0123456789abcdefghij";
        var created = await owner.Client.PostAsJsonAsync("/api/integrations", new { type = "sentry", name = "x", key = explicitKey });
        await created.AssertStatusAsync(HttpStatusCode.Created);
        Assert.EndsWith("/webhooks/sentry/" + explicitKey, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("webhookUrl").GetString());
    }
}
