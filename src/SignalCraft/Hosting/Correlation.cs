using System.Text.Json;
using System.Text.Json.Nodes;

namespace SignalCraft.Hosting;

/// <summary>
/// One id that follows an alert from the webhook that brought it to the Slack message it became: every request gets
/// one (a caller's valid <c>X-Correlation-Id</c>, or a new one), every job enqueued while it runs carries it in its
/// args, and every job run (and the jobs it enqueues) logs under it. Logs show it as the <c>CorrelationId</c> scope.
/// Kept in the args JSON rather than a column: the queue table stays as it is, and handlers' args types ignore it.
/// </summary>
public static class Correlation
{
    public const string Header = "X-Correlation-Id";

    /// <summary>The property of a job's args JSON that carries the id.</summary>
    internal const string ArgsProperty = "$correlationId";

    private static readonly AsyncLocal<string?> CurrentId = new();

    public static string? Current => CurrentId.Value;

    public static string NewId() => Guid.NewGuid().ToString("N")[..16];

    /// <summary>A caller's id is adopted only when short and plain: it ends up in log lines.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Makes <paramref name="id"/> current for the calling flow and opens the matching log scope.</summary>
    public static IDisposable? Begin(ILogger logger, string id)
    {
        CurrentId.Value = id;
        return logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id });
    }

    internal static string Stamp(string argsJson)
    {
        if (Current is not { } id || JsonNode.Parse(argsJson) is not JsonObject args)
        {
            return argsJson;
        }
        args[ArgsProperty] = id;
        return args.ToJsonString();
    }

    internal static string? FromArgs(string argsJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(argsJson);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(ArgsProperty, out var id)
                && id.ValueKind == JsonValueKind.String && IsValid(id.GetString()) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Gives every request its correlation id (scope, response header) before anything else logs.</summary>
internal sealed class CorrelationMiddleware(RequestDelegate next, ILogger<CorrelationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var offered = http.Request.Headers[Correlation.Header].ToString();
        var id = Correlation.IsValid(offered) ? offered : Correlation.NewId();
        http.Response.Headers[Correlation.Header] = id;
        using (Correlation.Begin(logger, id))
        {
            await next(http);
        }
    }
}
