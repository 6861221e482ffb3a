using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SlackEmulator.Api;

/// <summary>What a Web API request carried, after Slack's content-type rules.</summary>
internal sealed record ApiRequest(SlackArgs Args, string? Token, string? BasicCredentials, string? Error, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads arguments the way Slack accepts them: query string, form (urlencoded or multipart) or a JSON
/// body. The token comes from "Authorization: Bearer" or a form/query "token" field; a token inside a
/// JSON body is not read, because Slack only understands JSON bodies with the header.
/// </summary>
internal static class ApiRequestReader
{
    public static async Task<ApiRequest> ReadAsync(HttpRequest request, bool jsonAllowed, CancellationToken ct)
    {
        var args = new SlackArgs();
        var warnings = new List<string>();
        foreach (var (key, value) in request.Query)
        {
            args.Set(key, JsonValue.Create(value.ToString()));
        }

        string? error = null;
        if (HttpMethods.IsPost(request.Method) && (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            error = await ReadBodyAsync(request, args, warnings, jsonAllowed, ct);
        }

        string? bearer = null;
        string? basic = null;
        var authorization = request.Headers.Authorization.ToString();
        if (AuthenticationHeaderValue.TryParse(authorization, out var auth))
        {
            if (string.Equals(auth.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
            {
                bearer = auth.Parameter;
            }
            else if (string.Equals(auth.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
            {
                basic = auth.Parameter;
            }
        }

        var token = bearer ?? (request.HasFormContentType || request.Query.ContainsKey("token") ? args.String("token") : null);
        return new ApiRequest(args, string.IsNullOrEmpty(token) ? null : token, basic, error, warnings);
    }

    private static async Task<string?> ReadBodyAsync(HttpRequest request, SlackArgs args, List<string> warnings, bool jsonAllowed, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.ContentType))
        {
            return "missing_post_type";
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.MediaType is null)
        {
            return "invalid_post_type";
        }

        var charset = type.CharSet?.Trim('"');
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            && !charset.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase))
        {
            return "invalid_charset";
        }

        switch (type.MediaType.ToLowerInvariant())
        {
            case "application/x-www-form-urlencoded":
            case "multipart/form-data":
                if (charset is not null && type.MediaType.EndsWith("urlencoded", StringComparison.OrdinalIgnoreCase))
                {
                    warnings.Add("superfluous_charset");
                }

                try
                {
                    var form = await request.ReadFormAsync(ct);
                    foreach (var (key, value) in form)
                    {
                        args.Set(key, JsonValue.Create(value.ToString()));
                    }
                }
                catch (InvalidDataException)
                {
                    return "invalid_form_data";
                }

                return null;
            case "application/json":
                if (charset is null)
                {
                    warnings.Add("missing_charset");
                }

                return await ReadJsonAsync(request, args, jsonAllowed, ct);
            case "text/plain":
                // A valid post type for Slack, but it carries no arguments.
                return null;
            default:
                return "invalid_post_type";
        }
    }

    private static async Task<string?> ReadJsonAsync(HttpRequest request, SlackArgs args, bool jsonAllowed, CancellationToken ct)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return "invalid_json";
        }

        if (body is not JsonObject obj)
        {
            return "invalid_json";
        }

        // Methods without JSON support (conversations.list, oauth.v2.access, ...) ignore a JSON body.
        if (jsonAllowed)
        {
            foreach (var (key, value) in obj)
            {
                args.Set(key, value?.DeepClone());
            }
        }

        return null;
    }
}
