using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace SignalCraft.Accounts;

/// <summary>
/// Authorization policy names for endpoint groups. <see cref="Member"/>, <see cref="Admin"/> and <see cref="Owner"/>
/// first resolve the request's workspace (answering 400 when a user of several workspaces sends no
/// <c>X-Workspace-Id</c>, 404 for a workspace the caller is not in), then check the role. Put them on groups made by
/// <see cref="AccountsEndpointExtensions.RequireWorkspace"/>, e.g.
/// <c>group.MapPut("/{id}", UpdateAsync).RequireAuthorization(AccountsPolicies.Admin)</c>.
/// </summary>
public static class AccountsPolicies
{
    /// <summary>Any member of the workspace (members act on incidents). API tokens pass.</summary>
    public const string Member = "Accounts.Member";

    /// <summary>Admins and owners: rules, integrations, tokens, members, settings. API tokens pass.</summary>
    public const string Admin = "Accounts.Admin";

    /// <summary>Owners only.</summary>
    public const string Owner = "Accounts.Owner";

    /// <summary>A signed-in person (cookie or Identity bearer token), not an API token; no workspace needed.</summary>
    public const string SignedInUser = "Accounts.SignedInUser";

    internal static void Add(AuthorizationBuilder builder) => builder
        .AddPolicy(Member, p => p.RequireAuthenticatedUser().AddRequirements(new WorkspaceRoleRequirement(WorkspaceRole.Member)))
        .AddPolicy(Admin, p => p.RequireAuthenticatedUser().AddRequirements(new WorkspaceRoleRequirement(WorkspaceRole.Admin)))
        .AddPolicy(Owner, p => p.RequireAuthenticatedUser().AddRequirements(new WorkspaceRoleRequirement(WorkspaceRole.Owner)))
        .AddPolicy(SignedInUser, p => p.RequireAuthenticatedUser().AddRequirements(new PersonRequirement()));
}

internal sealed record WorkspaceRoleRequirement(WorkspaceRole Minimum) : IAuthorizationRequirement;

internal sealed record PersonRequirement : IAuthorizationRequirement;

/// <summary>A failed requirement with the problem the request is answered with.</summary>
internal sealed class ProblemFailureReason(IAuthorizationHandler handler, int statusCode, string title, string detail)
    : AuthorizationFailureReason(handler, detail)
{
    public int StatusCode { get; } = statusCode;
    public string Title { get; } = title;
}

internal sealed class WorkspaceRoleHandler : AuthorizationHandler<WorkspaceRoleRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, WorkspaceRoleRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true || context.Resource is not HttpContext http)
        {
            return; // anonymous: the authenticated-user requirement turns this into a 401 challenge
        }
        var resolution = await http.RequestServices.GetRequiredService<WorkspaceResolver>().ResolveAsync(http);
        if (!resolution.Succeeded)
        {
            context.Fail(new ProblemFailureReason(this, resolution.StatusCode, resolution.Title, resolution.Detail));
            return;
        }
        var current = http.RequestServices.GetRequiredService<CurrentWorkspace>();
        if (current.Role >= requirement.Minimum)
        {
            context.Succeed(requirement);
            return;
        }
        context.Fail(new ProblemFailureReason(this, StatusCodes.Status403Forbidden, "Not allowed for your role",
            $"This needs the {requirement.Minimum.ToName()} role or higher in this workspace; you are {current.Role.ToName()}. "
            + "Ask an admin or owner of the workspace."));
    }
}

internal sealed class PersonHandler : AuthorizationHandler<PersonRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PersonRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return Task.CompletedTask;
        }
        if (ApiTokenClaims.Read(context.User) is null)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new ProblemFailureReason(this, StatusCodes.Status403Forbidden, "Not for API tokens",
                "API tokens act only inside their own workspace; sign in as a person (POST /api/auth/login) for this."));
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Turns authorization failures into problem details a person can act on: the workspace check's 400/404, the role's
/// 403 with the role needed, and a 401 that says how to sign in.
/// </summary>
internal sealed class AccountsAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailureReasons.OfType<ProblemFailureReason>()
                .OrderBy(r => r.StatusCode == StatusCodes.Status403Forbidden ? 1 : 0).FirstOrDefault() is { } reason)
        {
            await WriteAsync(context, reason.StatusCode, reason.Title, reason.Message);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
        if (authorizeResult.Challenged && context.Response.StatusCode == StatusCodes.Status401Unauthorized && !context.Response.HasStarted)
        {
            // Handlers cache their result per request, so this reads why authentication failed without a second lookup.
            var failure = (await context.AuthenticateAsync()).Failure?.Message;
            var detail = failure is null
                ? "Sign in first: send Authorization: Bearer <accessToken> from POST /api/auth/login, or an API token, or the sign-in cookie."
                : $"{failure.TrimEnd('.')}. Sign in again (POST /api/auth/login) or use a valid API token.";
            await WriteAsync(context, StatusCodes.Status401Unauthorized, "Sign in required", detail);
        }
    }

    private async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
