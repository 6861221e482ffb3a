using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;

namespace SignalCraft.Accounts;

/// <summary><c>/api/members</c>: list (members), change role, remove, issue a reset link (admins).</summary>
internal static class MembersEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/members").WithTags("Members").RequireWorkspace();
        group.MapGet("", ListAsync);
        group.MapPut("/{userId}", ChangeRoleAsync).RequireAuthorization(AccountsPolicies.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{userId}", RemoveAsync).RequireAuthorization(AccountsPolicies.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{userId}/reset-link", IssueResetLinkAsync).RequireAuthorization(AccountsPolicies.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Ok<List<MemberResponse>>> ListAsync(SignalCraftDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await Members(db).ToListAsync(ct));

    private static async Task<Results<Ok<MemberResponse>, ProblemHttpResult>> ChangeRoleAsync(
        string userId, ChangeRoleRequest request, CurrentWorkspace current, SignalCraftDbContext db, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await WorkspaceCreation.LockAsync(db, current.WorkspaceId, ct);
        if (await CallerRoleAsync(current, db, ct) is not { } callerRole)
        {
            return TypedResults.Problem("You are no longer a member of this workspace.", statusCode: StatusCodes.Status404NotFound,
                title: "Workspace not found");
        }
        var member = await db.Set<WorkspaceMember>().SingleOrDefaultAsync(m => m.UserId == userId, ct);
        if (member is null)
        {
            return MemberNotFound(userId);
        }
        var owners = member.Role == WorkspaceRole.Owner ? await CountOwnersAsync(db, ct) : 0;
        if (MemberRules.CheckRoleChange(callerRole, member.Role, request.Role!.Value, owners) is { } violation)
        {
            return Problem(violation);
        }
        member.Role = request.Role.Value;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await Members(db, userId).SingleAsync(ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        string userId, CurrentWorkspace current, SignalCraftDbContext db, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await WorkspaceCreation.LockAsync(db, current.WorkspaceId, ct);
        if (await CallerRoleAsync(current, db, ct) is not { } callerRole)
        {
            return TypedResults.Problem("You are no longer a member of this workspace.", statusCode: StatusCodes.Status404NotFound,
                title: "Workspace not found");
        }
        var member = await db.Set<WorkspaceMember>().SingleOrDefaultAsync(m => m.UserId == userId, ct);
        if (member is null)
        {
            return MemberNotFound(userId);
        }
        var owners = member.Role == WorkspaceRole.Owner ? await CountOwnersAsync(db, ct) : 0;
        if (MemberRules.CheckRemoval(callerRole, member.Role, owners) is { } violation)
        {
            return Problem(violation);
        }
        db.Remove(member);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ResetLinkResponse>, ProblemHttpResult>> IssueResetLinkAsync(
        string userId, CurrentWorkspace current, SignalCraftDbContext db, PasswordResetLinks links, CancellationToken ct)
    {
        var member = await db.Set<WorkspaceMember>().AsNoTracking().SingleOrDefaultAsync(m => m.UserId == userId, ct);
        if (member is null)
        {
            return MemberNotFound(userId);
        }
        var elsewhere = await db.Set<WorkspaceMember>().IgnoreQueryFilters([WorkspaceFilter.Name])
            .AnyAsync(m => m.UserId == userId && m.WorkspaceId != current.WorkspaceId, ct);
        if (MemberRules.CheckResetLink(current.Role, member.Role, elsewhere) is { } violation)
        {
            return Problem(violation);
        }
        var (url, expiresAt) = await links.IssueAsync(userId, current.DisplayName, ct);
        return TypedResults.Ok(new ResetLinkResponse(url, expiresAt));
    }

    /// <summary>Members of the current workspace (the global filter scopes the membership rows) with their account details.</summary>
    private static IQueryable<MemberResponse> Members(SignalCraftDbContext db, string? userId = null) =>
        db.Set<WorkspaceMember>().Where(m => userId == null || m.UserId == userId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { Member = m, u.Email, u.DisplayName })
            .OrderBy(x => x.Member.JoinedAt).ThenBy(x => x.Email)
            .Select(x => new MemberResponse(x.Member.UserId, x.Email!, x.DisplayName, x.Member.Role, x.Member.JoinedAt));

    private static Task<int> CountOwnersAsync(SignalCraftDbContext db, CancellationToken ct) =>
        db.Set<WorkspaceMember>().CountAsync(m => m.Role == WorkspaceRole.Owner, ct);

    private static ProblemHttpResult MemberNotFound(string userId) => TypedResults.Problem(
        $"No member with user id '{Shorten(userId)}' in this workspace. GET /api/members lists them.",
        statusCode: StatusCodes.Status404NotFound, title: "Member not found");

    /// <summary>
    /// The caller's role read again under the workspace lock: the one checked by the policy may have changed while this
    /// request waited for a concurrent member change (say, the caller was just demoted).
    /// </summary>
    private static async Task<WorkspaceRole?> CallerRoleAsync(CurrentWorkspace current, SignalCraftDbContext db, CancellationToken ct) =>
        current.IsApiToken
            ? current.Role
            : await db.Set<WorkspaceMember>().Where(m => m.UserId == current.UserId)
                .Select(m => (WorkspaceRole?)m.Role).SingleOrDefaultAsync(ct);

    internal static ProblemHttpResult Problem(RuleViolation violation) =>
        TypedResults.Problem(violation.Detail, statusCode: violation.StatusCode, title: violation.Title);

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}

public sealed record ChangeRoleRequest([Required] WorkspaceRole? Role);

internal sealed record MemberResponse(string UserId, string Email, string? DisplayName, WorkspaceRole Role, DateTime JoinedAt);

internal sealed record ResetLinkResponse(string ResetUrl, DateTime ExpiresAt);
