using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;

namespace SignalCraft.Accounts;

/// <summary>
/// <c>/api/tokens</c> (admins): create (the token is in this answer only), list (never the token), delete (the token
/// stops working at its next request).
/// </summary>
internal static class ApiTokensEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tokens").WithTags("API tokens").RequireWorkspace(AccountsPolicies.Admin);
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapDelete("/{id:long}", DeleteAsync);
    }

    private static async Task<Created<CreateApiTokenResponse>> CreateAsync(
        CreateApiTokenRequest request, CurrentWorkspace current, SignalCraftDbContext db, TimeProvider time, CancellationToken ct)
    {
        var token = OpaqueTokens.NewApiToken();
        var row = new ApiToken
        {
            WorkspaceId = current.WorkspaceId, Name = request.Name.Trim(), TokenHash = OpaqueTokens.Hash(token),
            Prefix = token[..7], CreatedAt = time.GetUtcNow().UtcDateTime, CreatedBy = current.DisplayName,
        };
        db.Add(row);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/tokens/{row.Id}", new CreateApiTokenResponse(row.Id, row.Name, token, row.CreatedAt));
    }

    private static async Task<Ok<List<ApiTokenResponse>>> ListAsync(SignalCraftDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Set<ApiToken>().OrderBy(t => t.Id)
            .Select(t => new ApiTokenResponse(t.Id, t.Name, t.Prefix, t.CreatedAt, t.CreatedBy, t.LastUsedAt))
            .ToListAsync(ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, SignalCraftDbContext db, CancellationToken ct)
    {
        var deleted = await db.Set<ApiToken>().Where(t => t.Id == id).ExecuteDeleteAsync(ct);
        return deleted == 0
            ? TypedResults.Problem($"No API token {id} in this workspace. GET /api/tokens lists them.",
                statusCode: StatusCodes.Status404NotFound, title: "API token not found")
            : TypedResults.NoContent();
    }
}

public sealed record CreateApiTokenRequest([Required, StringLength(100, MinimumLength = 1)] string Name);

/// <summary>The token is shown in this answer only; store it now.</summary>
internal sealed record CreateApiTokenResponse(long Id, string Name, string Token, DateTime CreatedAt);

/// <summary><c>prefix</c> is the token's first characters (e.g. <c>sc_Ab12</c>), to tell tokens apart.</summary>
internal sealed record ApiTokenResponse(long Id, string Name, string Prefix, DateTime CreatedAt, string CreatedBy, DateTime? LastUsedAt);
