using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Data;
using SignalCraft.Hosting;

namespace SignalCraft.Accounts;

/// <summary>
/// <c>/api/invites</c>: admins create, list and delete invites; a signed-in person accepts one with the token from the
/// link. The answer carries the link once; only the token's SHA-256 is stored.
/// </summary>
internal static class InvitesEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/invites").WithTags("Members").RequireWorkspace(AccountsPolicies.Admin);
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapDelete("/{id:long}", DeleteAsync);

        // Not workspace-scoped: the invitee is not a member yet; the token names its workspace.
        app.MapPost("/api/invites/{token}/accept", AcceptAsync).WithTags("Members")
            .RequireAuthorization(AccountsPolicies.SignedInUser)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone);
    }

    private static async Task<Results<Created<CreateInviteResponse>, ProblemHttpResult>> CreateAsync(
        CreateInviteRequest request, MemberAdmin admin, CancellationToken ct) =>
        await admin.InviteAsync(request.Email, request.Role ?? WorkspaceRole.Member, ct) switch
        {
            ({ } problem, _) => MembersEndpoints.Problem(problem),
            (_, var invite) => TypedResults.Created($"/api/invites/{invite!.Id}", invite),
        };

    private static async Task<Ok<List<InviteResponse>>> ListAsync(MemberAdmin admin, CancellationToken ct) =>
        TypedResults.Ok(await admin.PendingInvitesAsync(ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, MemberAdmin admin, CancellationToken ct) =>
        await admin.DeleteInviteAsync(id, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"No invite {id} in this workspace. GET /api/invites lists the pending ones.",
                statusCode: StatusCodes.Status404NotFound, title: "Invite not found");

    private static async Task<Results<Ok<WorkspaceResponse>, ProblemHttpResult>> AcceptAsync(
        string token, ClaimsPrincipal user, SignalCraftDbContext db, TimeProvider time, CancellationToken ct)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct) ?? "";
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (outcome, invite) = await InviteRedemption.RedeemAsync(db, token, userId, email, now, ct);
        if (outcome != InviteOutcome.Usable)
        {
            return InviteRedemption.ToProblem(outcome);
        }
        await transaction.CommitAsync(ct);
        var workspace = await db.Set<Workspace>().SingleAsync(w => w.Id == invite!.WorkspaceId, ct);
        return TypedResults.Ok(new WorkspaceResponse(workspace.Id, workspace.Name, invite!.Role, workspace.CreatedAt));
    }
}

/// <summary>Invite <c>email</c> with <c>role</c> (default member). Only owners invite owners.</summary>
public sealed record CreateInviteRequest([Required, EmailAddress(ErrorMessage = "email must be an email address such as ada@example.com."), StringLength(256)] string Email, WorkspaceRole? Role);

internal sealed record CreateInviteResponse(long Id, string InviteUrl, string Email, WorkspaceRole Role, DateTime ExpiresAt);

internal sealed record InviteResponse(long Id, string Email, WorkspaceRole Role, DateTime CreatedAt, DateTime ExpiresAt, string CreatedBy);
