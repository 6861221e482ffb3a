using System.Globalization;
using SlackEmulator.State;

namespace SlackEmulator.Api;

/// <summary>Writes an <see cref="ApiResult"/> with Slack's headers.</summary>
internal static class ApiResponseWriter
{
    public static async Task WriteAsync(HttpContext http, ApiResult result, TokenGrant? grant, string? acceptedScopes)
    {
        if (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var response = http.Response;
        response.StatusCode = result.Status;
        if (result.RetryAfterSeconds is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        if (grant is not null)
        {
            response.Headers["x-oauth-scopes"] = grant.ScopeList;
        }

        if (acceptedScopes is { Length: > 0 })
        {
            response.Headers["x-accepted-oauth-scopes"] = acceptedScopes;
        }

        try
        {
            if (result.Html is not null)
            {
                response.ContentType = "text/html; charset=utf-8";
                await response.WriteAsync(result.Html, http.RequestAborted);
                return;
            }

            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(SlackJson.Serialize(result.Body!), http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client is gone (it timed out); there is nobody to answer.
        }
    }
}
