using Microsoft.AspNetCore.Antiforgery;
using SignalCraft.Health.Delivery;

namespace SignalCraft.Web.Health;

/// <summary>
/// <c>POST /health/delivery/discarded/{jobId}/retry</c>: the Retry button of the Delivery Health page. It runs the same
/// <see cref="NotificationRetry"/> as the API and comes back to the page with the outcome in words (post/redirect/get,
/// so a reload never posts twice). A job of another workspace is not found (404), like a missing one.
/// </summary>
internal static class RetryFormEndpoint
{
    public const string PagePath = "/health/delivery";

    public static string PathFor(long jobId) => $"{PagePath}/discarded/{jobId}/retry";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(PagePath + "/discarded/{jobId:long}/retry", RetryAsync)
            .RequireAuthorization(WebPolicies.Member)
            .ExcludeFromDescription();

    private static async Task<IResult> RetryAsync(long jobId, NotificationRetry retry, IAntiforgery antiforgery, HttpContext http,
        CancellationToken ct)
    {
        // No form-bound parameter, so nothing checks the token for us: another site must not be able to post this.
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.Problem(statusCode: 400, title: "Missing or invalid antiforgery token",
                detail: "Open the Delivery Health page again and press Retry there.");
        }
        var outcome = await retry.RetryAsync(jobId, ct);
        if (outcome == RetryOutcome.NotFound)
        {
            return TypedResults.NotFound();
        }
        WebRedirects.SetStatus(http, outcome switch
        {
            RetryOutcome.Queued => "Retry queued: the notification will be sent again now.",
            RetryOutcome.AlreadyQueued => "Error: a notification for this incident and target is already waiting to be sent; nothing was added.",
            _ => "Error: this notification is no longer discarded (it was retried already, or it is being tried); nothing was changed.",
        });
        return TypedResults.LocalRedirect(PagePath);
    }
}
