using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SignalCraft.Bench.Storm;

/// <summary>
/// Signed Sentry <c>event_alert</c> webhooks built from the shared fixtures (2–8 KB each, one alert per request as
/// Sentry sends them): a fresh event id every time, the Sentry issue id, project slug and title of a chosen group,
/// the hook timestamp of now, and the HMAC signature over the exact bytes.
/// </summary>
public sealed class SentryBodies
{
    /// <summary>The test client secret of the fixtures README (a made-up value).</summary>
    public const string ClientSecret = "5b1f7e3c9a2d4b6e8f0a1c3e5d7b9f2a4c6e8a0b2d4f6a8c0e2b4d6f8a1c3e5d";

    // Fixtures between 2 and 8 KB; the critical (fatal) one is used for probes.
    private static readonly string[] Names =
    [
        "event_alert.error.production", "event_alert.warning.staging", "event_alert.error.no-environment.docs-sample",
        "event_alert.fatal.production",
    ];

    private readonly Template[] _templates;
    private readonly Template _critical;
    private readonly byte[] _secret = Encoding.UTF8.GetBytes(ClientSecret);

    public SentryBodies(string fixtureFolder)
    {
        _templates = Names.Select(n => Template.Load(fixtureFolder, n)).ToArray();
        _critical = _templates.Single(t => t.Name.Contains("fatal", StringComparison.Ordinal));
    }

    public IReadOnlyList<int> Sizes => _templates.Select(t => t.Size).ToArray();

    /// <summary>A webhook for group <paramref name="group"/> (its own Sentry issue) in <paramref name="project"/>.</summary>
    public Webhook Build(long sequence, int group, string project, bool critical = false, string? title = null)
    {
        var template = critical ? _critical : _templates[group % (_templates.Length - 1)];
        var eventId = Guid.NewGuid().ToString("N");
        var issueId = (7_000_000_000L + group).ToString(CultureInfo.InvariantCulture);
        var text = template.Text
            .Replace(template.EventId, eventId, StringComparison.Ordinal)
            .Replace(template.IssueId, issueId, StringComparison.Ordinal)
            .Replace(template.ProjectPath, "/" + project + "/events/", StringComparison.Ordinal)
            .Replace(template.Title, JsonEncodedText.Encode(title ?? $"{template.Title} [g{group}]").ToString(), StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes(text);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(_secret, body));
        return new Webhook(sequence, eventId, body, signature);
    }

    public static HttpRequestMessage ToRequest(Uri url, Webhook webhook)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(webhook.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Request-ID", webhook.EventId);
        request.Headers.TryAddWithoutValidation("Sentry-Hook-Resource", "event_alert");
        request.Headers.TryAddWithoutValidation("Sentry-Hook-Timestamp",
            DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Sentry-Hook-Signature", webhook.Signature);
        request.Headers.TryAddWithoutValidation("User-Agent", "sentry/25.2.0 (https://sentry.io)");
        return request;
    }

    public sealed record Webhook(long Sequence, string EventId, byte[] Body, string Signature);

    private sealed record Template(string Name, string Text, string EventId, string IssueId, string ProjectPath, string Title, int Size)
    {
        public static Template Load(string folder, string name)
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, name + ".json"));
            var text = Encoding.UTF8.GetString(bytes);
            using var doc = JsonDocument.Parse(bytes);
            var evt = doc.RootElement.GetProperty("data").GetProperty("event");
            var eventId = evt.GetProperty("event_id").GetString()!;
            var issueId = evt.GetProperty("issue_id").GetString()!;
            // The project slug is read from ".../projects/<org>/<slug>/events/<id>/" in the event's API url.
            var url = evt.GetProperty("url").GetString()!;
            var slug = url.Split('/')[^4];
            var title = evt.GetProperty("title").GetString()!;
            if (!text.Contains("\"" + title + "\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{name}: the title is escaped in the body; pick another fixture.");
            }
            return new Template(name, text, eventId, issueId, "/" + slug + "/events/", title, bytes.Length);
        }
    }
}
