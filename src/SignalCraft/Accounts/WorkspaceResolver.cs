using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;

namespace SignalCraft.Accounts;

/// <summary>
/// Decides which workspace a request acts in, once per request: the API token's own workspace, or the user's only
/// workspace, or the one named by <c>X-Workspace-Id</c>. Membership is read from the database every time (one
/// indexed query) so that removal takes effect at once, bearer tokens included. On success it fills
/// <see cref="CurrentWorkspace"/> and sets <see cref="SignalCraftDbContext.CurrentWorkspaceId"/>, which scopes every
/// <see cref="IWorkspaceOwned"/> query of the request.
/// </summary>
internal sealed class WorkspaceResolver(SignalCraftDbContext db, CurrentWorkspace current)
{
    public const string HeaderName = "X-Workspace-Id";

    private WorkspaceResolution? _result;

    public async ValueTask<WorkspaceResolution> ResolveAsync(HttpContext http)
    {
        if (_result is null)
        {
            _result = await ResolveCoreAsync(http.User, http.Request.Headers[HeaderName], http.RequestAborted);
            if (_result.Succeeded)
            {
                db.CurrentWorkspaceId = current.WorkspaceId;
            }
        }
        return _result;
    }

    /// <summary>
    /// For web pages (cookie sign-in): the workspace the person chose last (<paramref name="preferred"/>, from a cookie)
    /// when they are still a member of it, else their first. Never 400 for people of several workspaces: a page always
    /// shows one, with a switcher. Fills <see cref="CurrentWorkspace"/> and scopes the DbContext like <see cref="ResolveAsync"/>.
    /// </summary>
    public async ValueTask<WorkspaceResolution> ResolveForPageAsync(ClaimsPrincipal user, long? preferred, CancellationToken ct)
    {
        if (_result is not null)
        {
            return _result;
        }
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null || ApiTokenClaims.Read(user) is not null)
        {
            return WorkspaceResolution.Fail(StatusCodes.Status403Forbidden, "No user", "Pages are for people signed in with a password.");
        }
        var rows = await db.Set<WorkspaceMember>().IgnoreQueryFilters([WorkspaceFilter.Name])
            .Where(m => m.UserId == userId)
            .OrderBy(m => m.WorkspaceId == preferred ? 0 : 1).ThenBy(m => m.WorkspaceId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.WorkspaceId, m.Role, u.DisplayName, u.Email })
            .Take(1)
            .ToListAsync(ct);
        if (rows.Count == 0)
        {
            return WorkspaceResolution.Fail(StatusCodes.Status404NotFound, "No workspace",
                "You are not a member of any workspace. Create one or accept an invite.");
        }
        var row = rows[0];
        current.Set(row.WorkspaceId, userId, null, row.Role, row.DisplayName ?? row.Email ?? userId);
        db.CurrentWorkspaceId = row.WorkspaceId;
        _result = WorkspaceResolution.Success;
        return _result;
    }

    private async Task<WorkspaceResolution> ResolveCoreAsync(ClaimsPrincipal user, Microsoft.Extensions.Primitives.StringValues header, CancellationToken ct)
    {
        long? requested = null;
        if (header.Count > 0)
        {
            if (header.Count > 1 || !long.TryParse(header[0], out var id) || id <= 0)
            {
                return WorkspaceResolution.Fail(StatusCodes.Status400BadRequest, "Invalid X-Workspace-Id",
                    "X-Workspace-Id must be one workspace id (a number) as listed by GET /api/workspaces.");
            }
            requested = id;
        }

        if (ApiTokenClaims.Read(user) is { } token)
        {
            // The token was looked up in the database by the authentication handler of this same request.
            if (requested is not null && requested != token.WorkspaceId)
            {
                return NotFound(requested.Value);
            }
            current.Set(token.WorkspaceId, null, token.TokenId, WorkspaceRole.Admin, $"API token {token.Name}");
            return WorkspaceResolution.Success;
        }

        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return WorkspaceResolution.Fail(StatusCodes.Status403Forbidden, "No user", "This request is not signed in as a user.");
        }

        var memberships = db.Set<WorkspaceMember>().IgnoreQueryFilters([WorkspaceFilter.Name]).Where(m => m.UserId == userId);
        if (requested is { } wanted)
        {
            memberships = memberships.Where(m => m.WorkspaceId == wanted);
        }
        var rows = await memberships
            .OrderBy(m => m.WorkspaceId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.WorkspaceId, m.Role, u.DisplayName, u.Email })
            .Take(2)
            .ToListAsync(ct);

        switch (rows.Count)
        {
            case 0 when requested is not null:
                return NotFound(requested.Value);
            case 0:
                return WorkspaceResolution.Fail(StatusCodes.Status404NotFound, "No workspace",
                    "You are not a member of any workspace. Create one with POST /api/workspaces or accept an invite.");
            case > 1:
                return WorkspaceResolution.Fail(StatusCodes.Status400BadRequest, "Which workspace?",
                    "You belong to several workspaces: send the header X-Workspace-Id with one of the ids from GET /api/workspaces.");
        }
        var row = rows[0];
        current.Set(row.WorkspaceId, userId, null, row.Role, row.DisplayName ?? row.Email ?? userId);
        return WorkspaceResolution.Success;
    }

    private static WorkspaceResolution NotFound(long workspaceId) => WorkspaceResolution.Fail(StatusCodes.Status404NotFound,
        "Workspace not found", $"Workspace {workspaceId} does not exist or you are not a member of it. GET /api/workspaces lists yours.");
}

/// <summary>The outcome of the workspace check: success, or the problem (400/403/404) the request is answered with.</summary>
internal sealed record WorkspaceResolution(int StatusCode, string Title, string Detail)
{
    public static readonly WorkspaceResolution Success = new(StatusCodes.Status200OK, "", "");

    public bool Succeeded => StatusCode == StatusCodes.Status200OK;

    public static WorkspaceResolution Fail(int statusCode, string title, string detail) => new(statusCode, title, detail);
}
