using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace SignalCraft.Hosting;

/// <summary>
/// Answers requests the framework could not bind (malformed JSON, a wrong value type, a missing body) with a problem
/// details body that names the offending field, instead of a bare 400. Minimal APIs throw these only with
/// <c>RouteHandlerOptions.ThrowOnBadRequest</c>, which <see cref="HostingExtensions.AddHosting"/> turns on.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        var detail = bad.InnerException is JsonException json
            ? $"The request body is not valid JSON for this endpoint at {json.Path ?? "$"}: check that value's type and allowed values (see /openapi/v1.json)."
            : bad.Message;
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = bad.StatusCode, Title = "The request could not be read", Detail = detail },
        });
    }
}
