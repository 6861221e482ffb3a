using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using SignalCraft.Sources.Sentry;

namespace SignalCraft.E2ETests.Health;

/// <summary>
/// Sends what Sentry would not: a fixture's headers with a body, signature and timestamp of the test's choosing, to show
/// each kind of refused webhook on the page. <see cref="SentryHooks"/> sends the well-formed ones.
/// </summary>
public static class RawSentry
{
    /// <summary>Posts <paramref name="body"/> with the headers of fixture <paramref name="headersOf"/>; returns the status code.</summary>
    /// <param name="signatureOver">The bytes the signature is computed over (the body by default); null sends no signature.</param>
    public static async Task<HttpStatusCode> PostAsync(Uri server, string webhookPath, string headersOf, byte[] body, Optional signatureOver = default,
        DateTimeOffset? timestamp = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, webhookPath)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var line in File.ReadAllLines(Path.Combine(SentryHooks.Folder, headersOf + ".headers")))
        {
            var colon = line.IndexOf(':');
            var (header, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (header is "Sentry-Hook-Resource" or "User-Agent")
            {
                request.Headers.TryAddWithoutValidation(header, value);
            }
        }
        request.Headers.TryAddWithoutValidation("Request-ID", Guid.NewGuid().ToString("N"));
        request.Headers.TryAddWithoutValidation("Sentry-Hook-Timestamp",
            (timestamp ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (!signatureOver.Omit)
        {
            request.Headers.TryAddWithoutValidation("Sentry-Hook-Signature", SentrySignatureVerifier.Sign(signatureOver.Bytes ?? body, SentryHooks.ClientSecret));
        }
        using var client = new HttpClient();
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(SentryHooks.Folder, name + ".json"));

    /// <summary>What to sign: the body (default), other bytes, or nothing.</summary>
    public readonly record struct Optional(byte[]? Bytes, bool Omit)
    {
        public static Optional Over(byte[] bytes) => new(bytes, false);

        public static readonly Optional None = new(null, true);
    }
}
