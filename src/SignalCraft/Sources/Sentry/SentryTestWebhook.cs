using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Integrations;
using SignalCraft.Secrets;

namespace SignalCraft.Sources.Sentry;

/// <summary>What "Send test webhook" did: accepted into a group, or refused with the receiver's own words.</summary>
public sealed record TestWebhookResult(bool Accepted, int Status, long? GroupId, string Message);

/// <summary>
/// "Send test webhook": an HTTP POST of a Sentry-shaped alert to the integration's own webhook URL, signed with its
/// client secret as Sentry signs (legacy integrations: the plugin's unsigned body), so it takes the real path —
/// key lookup, signature and timestamp checks, parsing, storage, grouping, routing, counters. Every test alert
/// belongs to one Sentry issue per integration, so repeats group like real repeats (the count goes up).
/// </summary>
public sealed class SentryTestWebhook(SignalCraftDbContext db, IntegrationAdmin admin, SecretProtector secrets, IHttpClientFactory clients,
    TimeProvider time)
{
    public const string ClientName = "sentry-test-webhook";

    /// <summary>The test alert's title, as it appears in the Inbox.</summary>
    public const string Title = "Test alert from SignalCraft: the Sentry integration works";

    public async Task<TestWebhookResult?> SendAsync(long integrationId, CancellationToken ct)
    {
        var integration = await db.Set<Integration>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == integrationId, ct);
        if (integration is null)
        {
            return null;
        }
        var legacy = integration.Mode == "legacy";
        if (!legacy && integration.ClientSecretProtected is null)
        {
            return new TestWebhookResult(false, 0, null,
                "Paste the client secret from Sentry first: without it SignalCraft cannot verify (or sign) a webhook.");
        }
        var now = time.GetUtcNow();
        var eventId = Guid.NewGuid().ToString("N");
        var body = Encoding.UTF8.GetBytes(legacy ? LegacyBody(integration.Id, eventId, now) : EventAlertBody(integration.Id, eventId, now));
        using var request = new HttpRequestMessage(HttpMethod.Post, Loopback(admin.WebhookUrl(integration))) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.ParseAdd("SignalCraft-test-webhook/1.0");
        if (!legacy)
        {
            var secret = secrets.Unprotect(SentryWebhookHandler.ClientSecretPurpose, integration.ClientSecretProtected!);
            request.Headers.Add("Sentry-Hook-Resource", "event_alert");
            request.Headers.Add("Request-ID", Guid.NewGuid().ToString("N"));
            request.Headers.Add("Sentry-Hook-Timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("Sentry-Hook-Signature", SentrySignatureVerifier.Sign(body, secret));
        }
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            using var answer = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text) : null;
            var root = answer?.RootElement;
            if (response.IsSuccessStatusCode)
            {
                var groupId = root is { } r && r.TryGetProperty("groupId", out var g) && g.ValueKind == JsonValueKind.Number ? g.GetInt64() : (long?)null;
                return new TestWebhookResult(true, (int)response.StatusCode, groupId, groupId is { } id
                    ? $"Test webhook accepted ({(int)response.StatusCode}) and grouped into incident #{id}."
                    : $"Test webhook accepted ({(int)response.StatusCode}).");
            }
            var detail = root is { } p && p.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return new TestWebhookResult(false, (int)response.StatusCode, null,
                $"The webhook endpoint refused the test ({(int)response.StatusCode}): {detail ?? response.ReasonPhrase}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new TestWebhookResult(false, 0, null,
                $"SignalCraft could not reach its own webhook URL ({ex.GetType().Name}): check App__PublicBaseUrl.");
        }
    }

    /// <summary>A wildcard listening address ("http://[::]:5080") cannot be dialled; the same port on loopback can.</summary>
    private static Uri Loopback(string url)
    {
        var builder = new UriBuilder(url);
        if (builder.Host is "[::]" or "::" or "0.0.0.0" or "+" or "*")
        {
            builder.Host = "127.0.0.1";
        }
        return builder.Uri;
    }

    private static string EventAlertBody(long integrationId, string eventId, DateTimeOffset now) => JsonSerializer.Serialize(new
    {
        action = "triggered",
        installation = new { uuid = "signalcraft-test" },
        data = new
        {
            @event = new
            {
                event_id = eventId,
                issue_id = IssueId(integrationId),
                project = "signalcraft-test",
                title = Title,
                level = "info",
                environment = "test",
                culprit = "Integrations page → Send test webhook",
                datetime = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
                tags = new[] { new[] { "environment", "test" }, new[] { "level", "info" }, new[] { "source", "signalcraft-test" } },
            },
            triggered_rule = "SignalCraft test",
        },
    });

    private static string LegacyBody(long integrationId, string eventId, DateTimeOffset now) => JsonSerializer.Serialize(new
    {
        id = IssueId(integrationId),
        project = "signalcraft-test",
        project_slug = "signalcraft-test",
        level = "info",
        culprit = "Integrations page → Send test webhook",
        message = Title,
        triggering_rules = new[] { "SignalCraft test" },
        @event = new
        {
            event_id = eventId,
            title = Title,
            environment = "test",
            timestamp = now.ToUnixTimeMilliseconds() / 1000.0,
            tags = new[] { new[] { "environment", "test" }, new[] { "level", "info" } },
        },
    });

    /// <summary>One test issue per integration: repeated tests are one incident whose count grows.</summary>
    private static string IssueId(long integrationId) => "signalcraft-test-" + integrationId.ToString(CultureInfo.InvariantCulture);
}
