using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using SignalCraft.Accounts;

namespace SignalCraft.Web;

/// <summary>
/// Authorization for the web pages. Unlike the API policies (<see cref="AccountsPolicies"/>), they accept only the
/// sign-in cookie, so an anonymous visitor is redirected to the sign-in page and a too-low role to the access-denied
/// page instead of getting a 401/403 problem. The workspace is the one the person picked last (a cookie), checked
/// against the database on every request.
/// </summary>
public static class WebPolicies
{
    /// <summary>Any member of the current workspace: the inbox and incidents. Every page requires at least this.</summary>
    public const string Member = "Web.Member";

    /// <summary>Admins and owners: members, API tokens, workspace settings.</summary>
    public const string Admin = "Web.Admin";

    /// <summary>Signed in with the cookie, whatever their workspaces (the workspace picker, the profile).</summary>
    public const string SignedIn = "Web.SignedIn";

    /// <summary>The cookie that remembers the workspace a person picked.</summary>
    public const string WorkspaceCookie = "signalcraft.workspace";

    internal static void Add(AuthorizationBuilder builder) => builder
        .AddPolicy(Member, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser()
            .AddRequirements(new PageWorkspaceRequirement(WorkspaceRole.Member)))
        .AddPolicy(Admin, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser()
            .AddRequirements(new PageWorkspaceRequirement(WorkspaceRole.Admin)))
        .AddPolicy(SignedIn, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser());
}

internal sealed record PageWorkspaceRequirement(WorkspaceRole Minimum) : IAuthorizationRequirement;

/// <summary>
/// Resolves the page's workspace (see <see cref="WorkspaceResolver.ResolveForPageAsync"/>) and checks the role. A plain
/// failure (no problem reason) lets the cookie scheme answer: the access-denied page.
/// </summary>
internal sealed class PageWorkspaceHandler : AuthorizationHandler<PageWorkspaceRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PageWorkspaceRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true || context.Resource is not HttpContext http)
        {
            return;
        }
        var preferred = long.TryParse(http.Request.Cookies[WebPolicies.WorkspaceCookie], out var id) ? id : (long?)null;
        var resolution = await http.RequestServices.GetRequiredService<WorkspaceResolver>()
            .ResolveForPageAsync(context.User, preferred, http.RequestAborted);
        if (resolution.Succeeded && http.RequestServices.GetRequiredService<CurrentWorkspace>().Role >= requirement.Minimum)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail();
        }
    }
}
