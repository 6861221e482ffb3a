using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;

namespace SignalCraft.Accounts;

/// <summary>
/// <c>/api/workspaces</c>: the caller's workspaces (ids and role) and creating another. Not workspace-scoped: this is
/// where a user of several workspaces finds the id to send as <c>X-Workspace-Id</c>.
/// </summary>
internal static class WorkspacesEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workspaces").WithTags("Workspaces").RequireAuthorization();
        group.MapGet("", ListAsync);
        group.MapPost("", CreateAsync).RequireAuthorization(AccountsPolicies.SignedInUser);
    }

    private static async Task<Ok<List<WorkspaceResponse>>> ListAsync(ClaimsPrincipal user, SignalCraftDbContext db, CancellationToken ct)
    {
        var workspaces = db.Set<Workspace>();
        if (ApiTokenClaims.Read(user) is { } token)
        {
            return TypedResults.Ok(await workspaces.Where(w => w.Id == token.WorkspaceId)
                .Select(w => new WorkspaceResponse(w.Id, w.Name, WorkspaceRole.Admin, w.CreatedAt))
                .ToListAsync(ct));
        }
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var list = await db.Set<WorkspaceMember>().IgnoreQueryFilters([WorkspaceFilter.Name])
            .Where(m => m.UserId == userId)
            .Join(workspaces, m => m.WorkspaceId, w => w.Id, (m, w) => new { w.Id, w.Name, m.Role, w.CreatedAt })
            .OrderBy(w => w.Id)
            .Select(w => new WorkspaceResponse(w.Id, w.Name, w.Role, w.CreatedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(list);
    }

    private static async Task<Created<WorkspaceResponse>> CreateAsync(
        CreateWorkspaceRequest request, ClaimsPrincipal user, SignalCraftDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier)!;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var workspace = await WorkspaceCreation.CreateAsync(db, request.Name, userId, now, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created("/api/workspaces",
            new WorkspaceResponse(workspace.Id, workspace.Name, WorkspaceRole.Owner, workspace.CreatedAt));
    }
}

public sealed record CreateWorkspaceRequest([Required, StringLength(200, MinimumLength = 1)] string Name);

internal sealed record WorkspaceResponse(long Id, string Name, WorkspaceRole Role, DateTime CreatedAt);
