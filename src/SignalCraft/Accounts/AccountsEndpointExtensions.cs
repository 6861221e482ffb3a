namespace SignalCraft.Accounts;

/// <summary>Marks an endpoint as acting in the caller's workspace (see <see cref="AccountsEndpointExtensions.RequireWorkspace"/>).</summary>
public sealed class WorkspaceScopedMetadata
{
    public static readonly WorkspaceScopedMetadata Instance = new();

    private WorkspaceScopedMetadata()
    {
    }
}

/// <summary>
/// Declares that an endpoint takes workspace-owned ids outside its route (in the query or the body: bulk ids,
/// orderings, user ids), so the cross-workspace isolation test demands a probe for it.
/// </summary>
/// <param name="Where">Where the ids are, e.g. "body: groupIds".</param>
public sealed record TakesWorkspaceIdsMetadata(string Where);

/// <summary>Route group and endpoint conventions other features use.</summary>
public static class AccountsEndpointExtensions
{
    /// <summary>
    /// Makes every endpoint of the group act in the caller's workspace: requires <paramref name="policy"/> (default
    /// <see cref="AccountsPolicies.Member"/>), which resolves the workspace from the API token, the user's only
    /// membership or <c>X-Workspace-Id</c>, checks membership in the database, fills <see cref="CurrentWorkspace"/> and
    /// scopes every <see cref="IWorkspaceOwned"/> query of the request to that workspace. One line per feature:
    /// <code>var group = app.MapGroup("/api/rules").WithTags("Rules").RequireWorkspace();</code>
    /// Put <c>.RequireAuthorization(AccountsPolicies.Admin)</c> on the endpoints that change things admins own.
    /// </summary>
    public static RouteGroupBuilder RequireWorkspace(this RouteGroupBuilder group, string policy = AccountsPolicies.Member)
    {
        group.RequireAuthorization(policy);
        group.WithMetadata(WorkspaceScopedMetadata.Instance);
        group.AddEndpointFilter(static async (context, next) =>
        {
            // The policy filled it before the endpoint ran; reaching here without it means a later convention (an
            // AllowAnonymous, say) removed the workspace check, and running unscoped would leak other workspaces' rows.
            if (!context.HttpContext.RequestServices.GetRequiredService<CurrentWorkspace>().IsResolved)
            {
                throw new InvalidOperationException(
                    $"Endpoint '{context.HttpContext.GetEndpoint()?.DisplayName}' is in a RequireWorkspace() group but ran without "
                    + "the workspace check; do not combine it with AllowAnonymous or policies that skip AccountsPolicies.");
            }
            return await next(context);
        });
        group.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    /// <summary>See <see cref="TakesWorkspaceIdsMetadata"/>: e.g. <c>.TakesWorkspaceIds("body: groupIds")</c>.</summary>
    public static TBuilder TakesWorkspaceIds<TBuilder>(this TBuilder builder, string where) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new TakesWorkspaceIdsMetadata(where));
}
