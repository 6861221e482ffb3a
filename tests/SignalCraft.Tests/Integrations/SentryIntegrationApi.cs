using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Tests.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Integrations;

/// <summary>Creates Sentry integrations through the API, as an admin would, and sends webhooks to them.</summary>
public static class SentryIntegrationApi
{
    public sealed record Created(long Id, string WebhookUrl)
    {
        public string Path => new Uri(WebhookUrl).AbsolutePath;
    }

    public static async Task<Created> CreateAsync(TestUser admin, string mode = "signed", string? clientSecret = SentryFixture.ClientSecret)
    {
        var response = await admin.Client.PostAsJsonAsync("/api/integrations", new { type = "sentry", name = "Sentry", mode, clientSecret });
        await response.AssertStatusAsync(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Created(body.GetProperty("id").GetInt64(), body.GetProperty("webhookUrl").GetString()!);
    }

    /// <summary>Sends a fixture to the integration and returns the new group's id.</summary>
    public static async Task<long> SendAsync(TestUser user, Created integration, string fixture = "event_alert.error.production",
        string? eventId = null)
    {
        var request = SentryFixture.Load(fixture);
        if (eventId is not null)
        {
            request = Grouping.NoisyAlerts.WithEventId(request, eventId);
        }
        using var client = user.App.CreateClient();
        var response = await SentryWebhookClient.PostAsync(client, integration.Path, request, user.App);
        await response.AssertStatusAsync(HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("groupId").GetInt64();
    }
}
