using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace SignalCraft.Notify.Webhook;

/// <summary>
/// Posts the outgoing webhook, signed: <c>X-SignalCraft-Timestamp: &lt;unix seconds&gt;</c> and
/// <c>X-SignalCraft-Signature: v1=&lt;hex HMAC-SHA256(secret, "{timestamp}.{body}")&gt;</c>. Returns a classified result;
/// the URL (a credential) never appears in a result, error or log.
/// </summary>
public sealed class WebhookNotifier(IHttpClientFactory clients, IOptions<NotifyOptions> options, TimeProvider time)
{
    public const string ClientName = "signalcraft-webhooks";

    public Task<NotifierResult> SendAsync(string url, string secret, WebhookPayload payload, CancellationToken ct) =>
        PostAsync(url, secret, payload.Type, JsonSerializer.SerializeToUtf8Bytes(payload), ct);

    /// <summary>Posts a notice about SignalCraft's own delivery (not about a group), signed the same way.</summary>
    public Task<NotifierResult> SendAsync(string url, string secret, WebhookNotice notice, CancellationToken ct) =>
        PostAsync(url, secret, notice.Type, JsonSerializer.SerializeToUtf8Bytes(notice), ct);

    private async Task<NotifierResult> PostAsync(string url, string secret, string type, byte[] body, CancellationToken ct)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-SignalCraft-Timestamp", timestamp);
        request.Headers.Add("X-SignalCraft-Signature", "v1=" + Sign(secret, timestamp, body));
        request.Headers.Add("X-SignalCraft-Event", type);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.WebhookTimeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return Classify(response);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return NotifierResult.Failed(FailureCategory.Transient, "timed out");
        }
        catch (HttpRequestException ex) when (ex.InnerException is PrivateAddressException)
        {
            return NotifierResult.Failed(FailureCategory.Config, "the target resolves to a private address");
        }
        catch (HttpRequestException ex)
        {
            // The message may contain the host; the URL path (the secret part) is never in it, but keep it minimal.
            return NotifierResult.Failed(FailureCategory.Transient, $"connection failed ({ex.HttpRequestError})");
        }
    }

    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var message = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp, message);
        message[timestamp.Length] = (byte)'.';
        body.CopyTo(message, timestamp.Length + 1);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    internal static NotifierResult Classify(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return NotifierResult.Sent();
        }
        var retryAfter = response.Headers.RetryAfter?.Delta
            ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return status switch
        {
            429 => NotifierResult.Failed(FailureCategory.RateLimited, "HTTP 429", retryAfter),
            401 or 403 => NotifierResult.Failed(FailureCategory.Auth, $"HTTP {status}"),
            404 or 410 => NotifierResult.Failed(FailureCategory.Config, $"HTTP {status}"),
            503 => NotifierResult.Failed(FailureCategory.ServiceUnavailable, "HTTP 503", retryAfter),
            >= 500 => NotifierResult.Failed(FailureCategory.Transient, $"HTTP {status}"),
            408 => NotifierResult.Failed(FailureCategory.Transient, "HTTP 408"),
            _ => NotifierResult.Failed(FailureCategory.Permanent, $"HTTP {status}"),
        };
    }

    /// <summary>The handler that refuses private addresses at connect time unless allowed.</summary>
    internal static SocketsHttpHandler CreateHandler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = allowPrivate ? addresses : addresses.Where(a => !PrivateAddressGuard.IsPrivate(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new PrivateAddressException();
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

internal sealed class PrivateAddressException() : Exception("The target resolves only to private addresses.");
