using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Integrations;
using SignalCraft.Secrets;
using SignalCraft.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Sources.Sentry;

/// <summary>Creates Sentry integrations and sends webhooks to a running app, as Sentry would.</summary>
public static class SentryWebhookClient
{
    public sealed record TestIntegration(long WorkspaceId, long Id, string Key)
    {
        public string Url => $"/webhooks/sentry/{Key}";
    }

    /// <summary>A workspace with one Sentry integration, written straight to the database.</summary>
    public static async Task<TestIntegration> CreateAsync(SignalCraftApp app, string mode = "signed",
        string? clientSecret = SentryFixture.ClientSecret, long? workspaceId = null, bool enabled = true)
    {
        return await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<SignalCraftDbContext>();
            var protector = sp.GetRequiredService<SecretProtector>();
            if (workspaceId is null)
            {
                var workspace = new Workspace { Name = "Acme", CreatedAt = app.Clock.GetUtcNow().UtcDateTime };
                db.Add(workspace);
                await db.SaveChangesAsync();
                workspaceId = workspace.Id;
            }
            var key = IntegrationKeys.NewKey();
            var integration = new Integration
            {
                WorkspaceId = workspaceId.Value,
                Type = "sentry",
                Name = "Sentry",
                Mode = mode,
                KeyHash = IntegrationKeys.Hash(key),
                KeyProtected = protector.Protect("integration-key", key),
                ClientSecretProtected = clientSecret is null ? null : protector.Protect(SentryWebhookHandler.ClientSecretPurpose, clientSecret),
                Enabled = enabled,
                CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
            };
            db.Add(integration);
            await db.SaveChangesAsync();
            return new TestIntegration(workspaceId.Value, integration.Id, key);
        });
    }

    /// <summary>Posts a fixture's exact bytes and headers; the hook timestamp is the app's "now" unless given.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, FixtureRequest fixture, SignalCraftApp app,
        Action<HttpRequestMessage>? adjust = null, byte[]? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body ?? fixture.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in fixture.Headers)
        {
            if (name is "Content-Type" or "Content-Length" or "Accept-Encoding" or "Host")
            {
                continue;
            }
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (fixture.Headers.ContainsKey("Sentry-Hook-Timestamp"))
        {
            request.Headers.Remove("Sentry-Hook-Timestamp");
            request.Headers.TryAddWithoutValidation("Sentry-Hook-Timestamp",
                app.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }
        adjust?.Invoke(request);
        return client.SendAsync(request);
    }
}
