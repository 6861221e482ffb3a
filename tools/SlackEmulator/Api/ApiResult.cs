using System.Text.Json.Nodes;

namespace SlackEmulator.Api;

/// <summary>
/// A Web API answer: HTTP 200 with the ok/error envelope for every logical outcome, 429 with
/// Retry-After for rate limits, or an HTML page for injected server errors.
/// </summary>
internal sealed class ApiResult
{
    public int Status { get; private init; } = 200;
    public JsonObject? Body { get; private init; }
    public string? Html { get; private init; }
    public int? RetryAfterSeconds { get; private init; }
    public string Outcome { get; private init; } = "ok";
    public bool IsOk => Status == 200 && Outcome == "ok";

    /// <summary>A body that starts with "ok": true, for a handler to add its fields to.</summary>
    public static JsonObject OkBody() => new() { ["ok"] = true };

    public static ApiResult Ok(JsonObject body) => new() { Body = body };

    public static ApiResult Error(string code, JsonObject? extra = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error"] = code };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                body[key] = value?.DeepClone();
            }
        }

        return new ApiResult { Body = body, Outcome = code };
    }

    /// <summary>
    /// Adds Slack's warning fields to a successful answer: "warning" (comma-separated) and
    /// response_metadata.warnings / messages, merged with what is already there (e.g. next_cursor).
    /// </summary>
    public ApiResult WithWarnings(IEnumerable<string> warnings)
    {
        var all = (Body?["warning"]?.GetValue<string>().Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [])
            .Concat(warnings).Distinct(StringComparer.Ordinal).ToList();
        if (all.Count == 0 || Body is null)
        {
            return this;
        }

        Body["warning"] = string.Join(',', all);
        var metadata = Body["response_metadata"] as JsonObject ?? new JsonObject();
        Body["response_metadata"] = metadata;
        metadata["warnings"] = new JsonArray([.. all.Select(w => (JsonNode)JsonValue.Create(w))]);
        var messages = all.Select(WarningMessage).OfType<string>().ToList();
        if (messages.Count > 0)
        {
            metadata["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)JsonValue.Create(m))]);
        }

        return this;
    }

    private static string? WarningMessage(string warning) => warning switch
    {
        "missing_charset" => "[WARN] A Content-Type HTTP header was presented but did not declare a charset, such as a 'utf-8'",
        "superfluous_charset" => "[WARN] A charset was declared on a form-encoded Content-Type, where it has no meaning",
        _ => null,
    };

    public static ApiResult MissingScope(string needed, string provided) =>
        Error("missing_scope", new JsonObject { ["needed"] = needed, ["provided"] = provided });

    public static ApiResult RateLimited(int retryAfterSeconds) => new()
    {
        Status = 429,
        RetryAfterSeconds = retryAfterSeconds,
        Body = new JsonObject { ["ok"] = false, ["error"] = "ratelimited" },
        Outcome = "ratelimited",
    };

    /// <summary>Slack's outage answer: a non-200 status with an HTML page, which clients must not parse as JSON.</summary>
    public static ApiResult ServerError(int status, string outcome) => new()
    {
        Status = status,
        Outcome = outcome,
        Html = $"<!DOCTYPE html><html><head><title>Server Error | Slack</title></head><body><h1>Server Error</h1>" +
               $"<p>It seems like there's a problem connecting to our servers (HTTP {status}).</p></body></html>",
    };
}
