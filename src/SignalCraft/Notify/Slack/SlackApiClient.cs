using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace SignalCraft.Notify.Slack;

/// <summary>How a call failed below the Slack envelope.</summary>
public enum SlackTransport
{
    /// <summary>An HTTP answer was read (see status and body).</summary>
    Answered,
    Timeout,
    ConnectionFailed,
}

/// <summary>
/// One Web API call's outcome: the envelope (<c>ok</c>, <c>error</c>), the HTTP status, Retry-After, or a transport
/// failure. Never holds the token.
/// </summary>
public sealed record SlackCall(string Method, SlackTransport Transport, int HttpStatus, bool Ok, string? Error, TimeSpan? RetryAfter, JsonElement Body)
{
    public bool RateLimited => HttpStatus == 429 || Error is "ratelimited" or "rate_limited";

    public string Describe() => Transport switch
    {
        SlackTransport.Timeout => $"{Method}: timed out",
        SlackTransport.ConnectionFailed => $"{Method}: connection failed",
        _ when Ok => $"{Method}: ok",
        _ when Error is not null => $"{Method}: {Error}",
        _ => $"{Method}: HTTP {HttpStatus}",
    };

    public string? String(string name) => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var v)
        && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>
/// A thin typed client of Slack's Web API (through <see cref="IHttpClientFactory"/>): JSON bodies where Slack accepts
/// them, form bodies elsewhere, the bot token in the Authorization header. Returns <see cref="SlackCall"/> and never
/// throws for Slack's or the network's failures.
/// </summary>
public sealed class SlackApiClient(HttpClient http, IOptions<SlackOptions> options)
{
    public const string ClientName = "slack";

    public Task<SlackCall> PostJsonAsync(string method, string token, object body, CancellationToken ct)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return SendAsync(method, content, new AuthenticationHeaderValue("Bearer", token), ct);
    }

    public Task<SlackCall> PostFormAsync(string method, string? token, IEnumerable<KeyValuePair<string, string>> form, CancellationToken ct,
        AuthenticationHeaderValue? basic = null) =>
        SendAsync(method, new FormUrlEncodedContent(form), basic ?? (token is null ? null : new AuthenticationHeaderValue("Bearer", token)), ct);

    /// <summary><c>oauth.v2.access</c> with the app's credentials as HTTP Basic auth.</summary>
    public Task<SlackCall> OAuthAccessAsync(IEnumerable<KeyValuePair<string, string>> form, CancellationToken ct)
    {
        var o = options.Value;
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.ClientId}:{o.ClientSecret}"));
        return PostFormAsync("oauth.v2.access", null, form, ct, new AuthenticationHeaderValue("Basic", basic));
    }

    /// <summary>POSTs JSON to an interaction's <c>response_url</c> (itself a short-lived credential: never logged).</summary>
    public async Task<bool> RespondAsync(string responseUrl, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, responseUrl) { Content = JsonContent(body) };
        try
        {
            using var response = await WithTimeoutAsync(t => http.SendAsync(request, t), ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static ByteArrayContent JsonContent(object body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private async Task<SlackCall> SendAsync(string method, HttpContent content, AuthenticationHeaderValue? auth, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(options.Value.ApiBaseUrl), method)) { Content = content };
        request.Headers.Authorization = auth;
        try
        {
            using var response = await WithTimeoutAsync(t => http.SendAsync(request, t), ct);
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter?.Delta;
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            JsonElement body = default;
            var isJson = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
            if (isJson && bytes.Length > 0)
            {
                try
                {
                    body = JsonSerializer.Deserialize<JsonElement>(bytes);
                }
                catch (JsonException)
                {
                    body = default;
                }
            }
            var ok = status == (int)HttpStatusCode.OK && body.ValueKind == JsonValueKind.Object
                && body.TryGetProperty("ok", out var okProperty) && okProperty.ValueKind == JsonValueKind.True;
            var error = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                ? e.GetString() : null;
            return new SlackCall(method, SlackTransport.Answered, status, ok, error, retryAfter, body);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SlackCall(method, SlackTransport.Timeout, 0, false, null, null, default);
        }
        catch (HttpRequestException)
        {
            // The exception text can carry the URL; only the method name goes out.
            return new SlackCall(method, SlackTransport.ConnectionFailed, 0, false, null, null, default);
        }
    }

    private async Task<HttpResponseMessage> WithTimeoutAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.Timeout);
        return await send(timeout.Token);
    }
}
