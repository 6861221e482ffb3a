using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SignalCraft.Sources.Sentry;

namespace SignalCraft.E2ETests.TestHost;

/// <summary>
/// Sends the shared Sentry fixtures (<c>shared/fixtures/sentry</c>, beside the repository) as Sentry would: exact
/// bytes, its headers, a fresh hook timestamp and a signature with the fixtures' test client secret. An issue id and
/// an event id can be swapped in to make distinct groups and repeat occurrences from the same realistic payloads.
/// </summary>
public static class SentryHooks
{
    /// <summary>The test client secret the fixtures README gives.</summary>
    public const string ClientSecret = "5b1f7e3c9a2d4b6e8f0a1c3e5d7b9f2a4c6e8a0b2d4f6a8c0e2b4d6f8a1c3e5d";

    public static string Folder
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable("SIGNALCRAFT_FIXTURES")
                ?? Path.Combine(TestEnvironment.RepositoryRoot, "..", "shared", "fixtures");
            return Path.GetFullPath(Path.Combine(folder, "sentry"));
        }
    }

    /// <summary>Posts fixture <paramref name="name"/> to <paramref name="webhookPath"/>; returns the group id.</summary>
    public static async Task<long> SendAsync(Uri server, string webhookPath, string name, string? issueId = null, string? title = null)
    {
        var body = File.ReadAllText(Path.Combine(Folder, name + ".json"));
        using var doc = JsonDocument.Parse(body);
        var evt = doc.RootElement.GetProperty("data").GetProperty("event");
        var oldEventId = evt.GetProperty("event_id").GetString()!;
        body = body.Replace(oldEventId, Guid.NewGuid().ToString("N"), StringComparison.Ordinal);
        if (issueId is not null)
        {
            body = body.Replace(evt.GetProperty("issue_id").GetString()!, issueId, StringComparison.Ordinal);
        }
        if (title is not null)
        {
            // The fixtures spell the title as JSON allows (raw or escaped); replace the spelling the file uses.
            var old = evt.GetProperty("title").GetString()!;
            var spelled = new[]
                {
                    old, JsonSerializer.Serialize(old, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).Trim('"'),
                    JsonEncodedText.Encode(old).ToString(),
                }.First(candidate => body.Contains('"' + candidate + '"', StringComparison.Ordinal));
            Assert.Contains(spelled, body);
            body = body.Replace(spelled, JsonEncodedText.Encode(title).ToString(), StringComparison.Ordinal);
        }
        var bytes = Encoding.UTF8.GetBytes(body);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, webhookPath)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var line in File.ReadAllLines(Path.Combine(Folder, name + ".headers")))
        {
            var colon = line.IndexOf(':');
            var (header, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (header is "Content-Type" or "Content-Length" or "Host" or "Accept-Encoding" or "Sentry-Hook-Signature"
                or "Sentry-Hook-Timestamp" or "Request-ID")
            {
                continue;
            }
            request.Headers.TryAddWithoutValidation(header, value);
        }
        request.Headers.TryAddWithoutValidation("Request-ID", Guid.NewGuid().ToString("N"));
        request.Headers.TryAddWithoutValidation("Sentry-Hook-Timestamp",
            DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Sentry-Hook-Signature", SentrySignatureVerifier.Sign(bytes, ClientSecret));

        using var client = new HttpClient();
        using var response = await client.SendAsync(request);
        await Api.ExpectAsync(response, HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("groupId").GetInt64();
    }
}
