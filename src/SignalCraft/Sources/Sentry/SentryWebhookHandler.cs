using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Data;
using SignalCraft.Integrations;
using SignalCraft.Secrets;

namespace SignalCraft.Sources.Sentry;

/// <summary>
/// <c>POST /webhooks/sentry/{key}</c>: the answer matrix of DESIGN "Accepting a webhook". Credentials are checked
/// before the body is parsed; nothing that fails them is stored; every outcome is counted.
/// </summary>
public sealed class SentryWebhookHandler(
    SignalCraftDbContext db,
    IngestService ingest,
    WebhookCounters counters,
    VerificationFailureLimiter limiter,
    SecretProtector secrets,
    TimeProvider time,
    IOptions<SourcesOptions> options,
    PostgresPoolRefill poolRefill,
    ILogger<SentryWebhookHandler> logger)
{
    internal const string ClientSecretPurpose = "sentry-client-secret";

    public async Task<IResult> HandleAsync(string key, HttpContext http, CancellationToken requestAborted)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        budget.CancelAfter(settings.AcceptTimeout);
        try
        {
            return await HandleWithinBudgetAsync(key, http, now, settings, budget);
        }
        catch (Exception ex) when (!requestAborted.IsCancellationRequested && IsDatabaseUnavailable(ex))
        {
            logger.LogWarning(ex, "Sentry webhook answered 503: the database did not answer in time ({Error})", ex.GetType().Name);
            poolRefill.Kick();
            return Problem(StatusCodes.Status503ServiceUnavailable, "Database unavailable",
                "SignalCraft could not store this webhook right now; nothing was stored. Retry shortly.");
        }
    }

    private async Task<IResult> HandleWithinBudgetAsync(string key, HttpContext http, DateTime now, SourcesOptions settings,
        CancellationTokenSource budget)
    {
        var ct = budget.Token;
        // The first round trip (a connection and the key lookup) is where an unreachable database shows: it must
        // answer within AcceptTimeout. After that the webhook gets the longer store budget (see SourcesOptions).
        var keyHash = IntegrationKeys.Hash(key);
        var integration = await db.Set<Integration>().IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(i => i.KeyHash == keyHash && i.Type == "sentry", ct).WaitAsync(ct);
        budget.CancelAfter(settings.StoreTimeout);
        if (integration is null || !integration.Enabled)
        {
            counters.Record(integration?.Id ?? 0, integration is null ? WebhookReasons.UnknownKey : WebhookReasons.Disabled);
            return Failure(http, StatusCodes.Status404NotFound, "Unknown integration",
                "No enabled Sentry integration has this webhook URL. Copy the URL again from SignalCraft's Integrations page.");
        }

        var request = http.Request;
        if (request.ContentLength > settings.MaxBodyBytes)
        {
            return Reject(integration, WebhookReasons.TooLarge, StatusCodes.Status413PayloadTooLarge, "Body too large",
                $"Webhook bodies are limited to {settings.MaxBodyBytes} bytes.");
        }
        var body = await ReadBodyAsync(request, settings.MaxBodyBytes, ct);
        if (body is null)
        {
            return Reject(integration, WebhookReasons.TooLarge, StatusCodes.Status413PayloadTooLarge, "Body too large",
                $"Webhook bodies are limited to {settings.MaxBodyBytes} bytes.");
        }

        var resource = request.Headers["Sentry-Hook-Resource"].ToString() is { Length: > 0 } r ? r : null;
        var signature = request.Headers["Sentry-Hook-Signature"].ToString() is { Length: > 0 } s ? s : null;
        var legacy = integration.Mode == "legacy";
        if (WrongMode(legacy, resource, signature, body) is { } modeMessage)
        {
            return Reject(integration, WebhookReasons.WrongMode, StatusCodes.Status400BadRequest, "Wrong integration mode", modeMessage);
        }

        DateTime? hookTime = null;
        if (!legacy)
        {
            if (integration.ClientSecretProtected is null)
            {
                return Reject(integration, WebhookReasons.NoClientSecret, StatusCodes.Status409Conflict, "Add the client secret",
                    "This integration has no client secret yet: copy it from Sentry (Developer Settings → your integration → "
                    + "Credentials) and set it with PATCH /api/integrations/{id} {clientSecret}.");
            }
            var clientSecret = secrets.Unprotect(ClientSecretPurpose, integration.ClientSecretProtected);
            if (signature is null)
            {
                return VerificationFailed(http, integration, WebhookReasons.MissingSignature, "Missing signature",
                    "The Sentry-Hook-Signature header is missing.");
            }
            if (!SentrySignatureVerifier.IsValid(body, signature, clientSecret))
            {
                return VerificationFailed(http, integration, WebhookReasons.BadSignature, "Bad signature",
                    "Sentry-Hook-Signature does not match the body under this integration's client secret. Check the secret.");
            }
            hookTime = ParseHookTimestamp(request.Headers["Sentry-Hook-Timestamp"].ToString());
            if (hookTime is null || (now - hookTime.Value).Duration() > settings.MaxTimestampSkew)
            {
                return VerificationFailed(http, integration, WebhookReasons.StaleTimestamp, "Stale timestamp",
                    $"Sentry-Hook-Timestamp is missing or more than {settings.MaxTimestampSkew.TotalMinutes:0} minutes away from now.");
            }
        }

        var requestId = request.Headers["Request-ID"].ToString() is { Length: > 0 } id ? id : null;
        var parsed = SentryPayloadParser.Parse(new SentryRequest(resource, requestId, hookTime, body, now), legacy);
        if (parsed is SentryParseResult.Unparseable unparseable)
        {
            var quarantineId = await Quarantine.AddAsync(db, integration, resource, body, unparseable.Reason, now, ct);
            counters.Record(integration.Id, WebhookReasons.Quarantined);
            return TypedResults.Accepted((string?)null, new { status = "quarantined", quarantineId, reason = unparseable.Reason });
        }

        var alert = ((SentryParseResult.Parsed)parsed).Alert;
        var result = await ingest.AcceptAsync(integration, alert, body, now, ct);
        counters.Record(integration.Id, result.Duplicate ? WebhookReasons.Duplicate : WebhookReasons.Accepted);
        return result.Duplicate
            ? TypedResults.Ok(new { status = "duplicate" })
            : TypedResults.Accepted((string?)null, new
            {
                status = "accepted",
                eventId = result.EventId,
                groupId = result.Changes.Count > 0 ? result.Changes[0].GroupId : (long?)null,
            });
    }

    /// <summary>A body of the other mode's shape: the sender is configured against the wrong kind of integration.</summary>
    private static string? WrongMode(bool legacy, string? resource, string? signature, byte[] body)
    {
        if (legacy)
        {
            return resource is not null || signature is not null
                ? "This integration is in legacy mode (Sentry's WebHooks plugin) but received a signed Integration Platform "
                  + "request. Create a signed-mode integration for Sentry internal integrations."
                : null;
        }
        if (resource is not null || signature is not null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            return SentryPayloadParser.LooksLegacy(doc.RootElement)
                ? "This integration is in signed mode (Sentry internal integration) but received a legacy WebHooks plugin "
                  + "body. Create a legacy-mode integration for the WebHooks plugin."
                : null;
        }
        catch (JsonException)
        {
            return null; // not JSON at all: the signature check answers it
        }
    }

    private static DateTime? ParseHookTimestamp(string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTime.UnixEpoch.AddSeconds(seconds)
            : null;

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int max, CancellationToken ct)
    {
        using var buffer = new MemoryStream(request.ContentLength is > 0 and var n && n <= max ? (int)n : 16 * 1024);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private IResult VerificationFailed(HttpContext http, Integration integration, string reason, string title, string detail) =>
        limiter.TryRecordFailure(http.Connection.RemoteIpAddress)
            ? Reject(integration, reason, StatusCodes.Status401Unauthorized, title, detail)
            : Reject(integration, WebhookReasons.RateLimited, StatusCodes.Status429TooManyRequests, "Too many failed verifications",
                "This address sent too many webhooks that failed verification; try again in a minute.");

    private IResult Failure(HttpContext http, int status, string title, string detail) =>
        limiter.TryRecordFailure(http.Connection.RemoteIpAddress)
            ? Problem(status, title, detail)
            : Problem(StatusCodes.Status429TooManyRequests, "Too many failed requests",
                "This address sent too many webhooks to unknown URLs; try again in a minute.");

    private IResult Reject(Integration integration, string reason, int status, string title, string detail)
    {
        counters.Record(integration.Id, reason);
        return Problem(status, title, detail);
    }

    private static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    private static bool IsDatabaseUnavailable(Exception ex) =>
        ex is OperationCanceledException or TimeoutException or DbException or DbUpdateException
        || ex.InnerException is DbException or TimeoutException
        || (ex is InvalidOperationException && ex.InnerException is not null);
}
