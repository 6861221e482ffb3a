using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SignalCraft.Bench.Storm;

namespace SignalCraft.Bench.Faults;

/// <summary>One kind of bad request: a name for the table and a factory (requests cannot be sent twice).</summary>
public sealed record BadInput(string Kind, Func<int, HttpRequestMessage> Make, int Weight = 3);

/// <summary>
/// Malformed, truncated, oversized, wrongly signed, replayed and type-confused Sentry webhooks and Slack interactivity
/// callbacks. Bodies "signed" here carry a valid signature under the integration's client secret (or the Slack signing
/// secret): those are the ones SignalCraft must quarantine (within its cap) or ignore, never store as an event.
/// </summary>
public sealed class BadInputs(SentryBodies bodies, Uri webhookUrl, Uri slackActionsUrl, string slackSigningSecret,
    IReadOnlyList<SentryBodies.Webhook> accepted)
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes(SentryBodies.ClientSecret);

    public IReadOnlyList<BadInput> All() =>
    [
        new("sentry: random bytes, wrong signature", n => Sentry(Random(n), sign: false)),
        new("sentry: random bytes, signed", n => Sentry(Random(n), sign: true)),
        new("sentry: truncated JSON, signature of the whole", n => Valid(n) is var v ? Sentry(v[..Cut(n)], signatureOf: v) : null!),
        new("sentry: truncated JSON, signed", n => Sentry(Valid(n)[..Cut(n)], sign: true)),
        new("sentry: empty body, signed", _ => Sentry([], sign: true)),
        new("sentry: oversized 1.1 MB (Content-Length)", n => Sentry(Oversized(n), sign: true), Weight: 1),
        new("sentry: oversized 1.1 MB (chunked)", n => Sentry(Oversized(n), sign: true, chunked: true), Weight: 1),
        new("sentry: signed with another secret", n => Sentry(Valid(n), signatureOf: null, otherSecret: true)),
        new("sentry: no signature", n => Sentry(Valid(n), sign: false, omitSignature: true)),
        new("sentry: stale timestamp (1 h old)", n => Sentry(Valid(n), sign: true, timestamp: DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))),
        new("sentry: unreadable timestamp", n => Sentry(Valid(n), sign: true, timestamp: "yesterday")),
        new("sentry: replay of an accepted webhook", n => Replay(n)),
        new("sentry: unknown webhook key", n => Sentry(Valid(n), sign: true, url: new Uri(webhookUrl, "0000000000000000000000"))),
        new("sentry: type-confused fields, signed", n => Sentry(TypeConfused(n), sign: true)),
        new("sentry: JSON array / scalar root, signed", n => Sentry(Encoding.UTF8.GetBytes(n % 2 == 0 ? "[1,2,3]" : "\"event_alert\""), sign: true)),
        new("sentry: nested 5,000 deep, signed", _ => Sentry(Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)), sign: true)),
        new("sentry: invalid UTF-8, signed", n => Valid(n) is var v ? Sentry([.. v[..40], 0xC3, 0x28, 0xFF, .. v[40..]], sign: true) : null!),
        new("sentry: event body under resource 'issue', signed", n => Sentry(Valid(n), sign: true, resource: "issue")),
        new("slack: no signature", n => Slack(Click(n), signed: false)),
        new("slack: wrong signature", n => Slack(Click(n), signed: false, badSignature: true)),
        new("slack: stale timestamp (10 min), signed", n => Slack(Click(n), signed: true, age: TimeSpan.FromMinutes(10))),
        new("slack: signed, not a form", n => Slack(Random(n), signed: true)),
        new("slack: signed, payload not JSON", n => Slack(Form("{not json " + n), signed: true)),
        new("slack: signed, type-confused payload", n => Slack(Form(ConfusedClick(n)), signed: true)),
        new("slack: signed click on an unknown message", n => Slack(Click(n), signed: true)),
        new("slack: oversized 300 KB, signed", n => Slack(Form(new string('x', 300 * 1024)), signed: true), Weight: 1),
    ];

    private byte[] Valid(int n) => bodies.Build(-1_000_000 - n, 900_000 + n % 50, "bad-input").Body;

    private static int Cut(int n) => 10 + n * 7919 % 1500;

    private static byte[] Random(int n) => RandomNumberGenerator.GetBytes(64 + n * 131 % 4000);

    private static byte[] Oversized(int n)
    {
        var bytes = new byte[1_100_000 + n % 1000];
        Array.Fill(bytes, (byte)' ');
        bytes[0] = (byte)'{';
        bytes[^1] = (byte)'}';
        return bytes;
    }

    /// <summary>A real event_alert body with the fields an alert needs given the wrong JSON types (object, array, null, boolean).</summary>
    private byte[] TypeConfused(int n)
    {
        var root = JsonNode.Parse(Valid(n))!.AsObject();
        var data = root["data"]!.AsObject();
        var evt = data["event"]!.AsObject();
        switch (n % 6)
        {
            case 0: evt["event_id"] = new JsonObject { ["nested"] = true }; break;
            case 1: evt["issue_id"] = new JsonArray(1, 2); break;
            case 2: data["event"] = "just a string"; break;
            case 3: root["data"] = new JsonArray(new JsonObject { ["event"] = new JsonObject() }); break;
            case 4: evt["event_id"] = null; break;
            default: evt["issue_id"] = true; break;
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private HttpRequestMessage Replay(int n)
    {
        var original = accepted[n % accepted.Count];
        return SentryBodies.ToRequest(webhookUrl, original);
    }

    private HttpRequestMessage Sentry(byte[] body, bool sign = false, byte[]? signatureOf = null, bool otherSecret = false, bool omitSignature = false,
        string? timestamp = null, bool chunked = false, Uri? url = null, string resource = "event_alert")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url ?? webhookUrl)
        {
            Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Sentry-Hook-Resource", resource);
        request.Headers.TryAddWithoutValidation("Request-ID", Guid.NewGuid().ToString());
        request.Headers.TryAddWithoutValidation("Sentry-Hook-Timestamp", timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (!omitSignature)
        {
            var key = otherSecret ? RandomNumberGenerator.GetBytes(32) : Secret;
            var signature = sign || signatureOf is not null || otherSecret
                ? Convert.ToHexStringLower(HMACSHA256.HashData(key, signatureOf ?? body))
                : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            request.Headers.TryAddWithoutValidation("Sentry-Hook-Signature", signature);
        }
        return request;
    }

    private static byte[] Form(string payload) => Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload));

    private static byte[] Click(int n) => Form($$"""
        {"type":"block_actions","team":{"id":"T0DEMO","domain":"signalcraft-demo"},"user":{"id":"U0ALICE","name":"alice"},
         "api_app_id":"A0EMULATOR","channel":{"id":"C0NOWHERE{{n}}","name":"nowhere"},
         "message":{"ts":"1700000000.{{n % 1_000_000:D6}}","text":"not ours"},"container":{"type":"message","message_ts":"1700000000.{{n % 1_000_000:D6}}"},
         "response_url":"http://127.0.0.1:9/actions/T0DEMO/x/y","actions":[{"action_id":"ack","block_id":"b","value":"ack","action_ts":"1700000001.000001"}]}
        """);

    private static string ConfusedClick(int n) => (n % 4) switch
    {
        0 => """{"type":"block_actions","actions":"ack","message":5,"team":[],"user":null}""",
        1 => """{"type":["block_actions"],"actions":[{"action_id":42}]}""",
        2 => """{"type":"block_actions","team":{"id":1},"channel":{"id":{}},"message":{"ts":[]},"actions":[{}]}""",
        _ => "[]",
    };

    private HttpRequestMessage Slack(byte[] body, bool signed, bool badSignature = false, TimeSpan age = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, slackActionsUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        if (signed || badSignature)
        {
            var ts = (DateTimeOffset.UtcNow - age).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var key = Encoding.UTF8.GetBytes(badSignature ? "not-the-signing-secret" : slackSigningSecret);
            var basis = Encoding.UTF8.GetBytes($"v0:{ts}:").Concat(body).ToArray();
            request.Headers.TryAddWithoutValidation("X-Slack-Request-Timestamp", ts);
            request.Headers.TryAddWithoutValidation("X-Slack-Signature", "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, basis)));
        }
        return request;
    }
}
