using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SignalCraft.Accounts;

/// <summary><c>/api/members</c>: list (members), change role, remove, issue a reset link (admins). The work is <see cref="MemberAdmin"/>'s.</summary>
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

    private static async Task<Ok<List<MemberResponse>>> ListAsync(MemberAdmin admin, CancellationToken ct) =>
        TypedResults.Ok(await admin.ListAsync(ct));

    private static async Task<Results<Ok<MemberResponse>, ProblemHttpResult>> ChangeRoleAsync(
        string userId, ChangeRoleRequest request, MemberAdmin admin, CancellationToken ct) =>
        await admin.ChangeRoleAsync(userId, request.Role!.Value, ct) switch
        {
            ({ } problem, _) => Problem(problem),
            (_, var member) => TypedResults.Ok(member!),
        };

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string userId, MemberAdmin admin, CancellationToken ct) =>
        await admin.RemoveAsync(userId, ct) is { } problem ? Problem(problem) : TypedResults.NoContent();

    private static async Task<Results<Ok<ResetLinkResponse>, ProblemHttpResult>> IssueResetLinkAsync(
        string userId, MemberAdmin admin, CancellationToken ct) =>
        await admin.IssueResetLinkAsync(userId, ct) switch
        {
            ({ } problem, _) => Problem(problem),
            (_, var link) => TypedResults.Ok(link!),
        };

    internal static ProblemHttpResult Problem(RuleViolation violation) =>
        TypedResults.Problem(violation.Detail, statusCode: violation.StatusCode, title: violation.Title);
}

public sealed record ChangeRoleRequest([Required] WorkspaceRole? Role);

internal sealed record MemberResponse(string UserId, string Email, string? DisplayName, WorkspaceRole Role, DateTime JoinedAt);

internal sealed record ResetLinkResponse(string ResetUrl, DateTime ExpiresAt);
