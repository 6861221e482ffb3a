using Microsoft.AspNetCore.Http.HttpResults;
using SignalCraft.Accounts;
using SignalCraft.Inbox;

namespace SignalCraft.Web.Inbox;

/// <summary>
/// <c>GET /inbox/live?mark=…&amp;{filters}</c>: what the open inbox polls. 204 while the workspace's change mark
/// (<see cref="InboxQueries.ChangeMarkAsync"/>) is the one the page has; otherwise the first page of rows for the
/// same filters as HTML, with the new mark in <c>X-Inbox-Mark</c>. Everything comes from the database, so behind a
/// load balancer a webhook taken by one instance shows on a page served by another.
/// </summary>
internal static class InboxLiveEndpoint
{
    public const string MarkHeader = "X-Inbox-Mark";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/inbox/live", LiveAsync).RequireAuthorization(WebPolicies.Member).ExcludeFromDescription();

    private static async Task<IResult> LiveAsync(string? mark, string? env, string? project, string? tag, string? severity,
        string? status, string? q, InboxQueries queries, WorkspaceSettingsStore settings, CurrentWorkspace current,
        ViewerTime time, HttpContext http, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var now = await queries.ChangeMarkAsync(ct);
        if (now == mark)
        {
            return TypedResults.NoContent();
        }
        var filter = new InboxFilter(Env: env, Project: project, Tag: tag, Severity: severity, Status: status, Q: q);
        if (filter.Validate().Count > 0)
        {
            return TypedResults.NoContent(); // the page shows the validation message; nothing to refresh
        }
        await time.InitAsync(ct);
        var aliases = (await settings.GetAsync(current.WorkspaceId, ct)).EnvironmentAliases;
        var page = await queries.ListAsync(filter, aliases, ct);
        http.Response.Headers[MarkHeader] = now;
        return new RazorComponentResult<InboxRows>(new { Items = page.Items });
    }
}
