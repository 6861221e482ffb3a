using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SignalCraft.Sources.Sentry;
using SignalCraft.Tests.Grouping;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Inbox;

/// <summary>Sends an occurrence of a chosen Sentry issue id (a fixture re-written and re-signed), as a distinct problem.</summary>
public static class IssueSender
{
    public static async Task<long> SendAsync(TestUser user, SentryIntegrationApi.Created integration, string issueId, string eventId,
        string fixtureName = "event_alert.error.production")
    {
        var fixture = SentryFixture.Load(fixtureName);
        using var parsed = JsonDocument.Parse(fixture.Body);
        var original = parsed.RootElement.GetProperty("data").GetProperty("event").GetProperty("issue_id").GetString()!;
        var text = Encoding.UTF8.GetString(fixture.Body).Replace(original, issueId, StringComparison.Ordinal);
        var request = NoisyAlerts.WithEventId(fixture with { Body = Encoding.UTF8.GetBytes(text) }, eventId);
        using var client = user.App.CreateClient();
        var response = await SentryWebhookClient.PostAsync(client, integration.Path, request, user.App);
        await response.AssertStatusAsync(HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("groupId").GetInt64();
    }
}
