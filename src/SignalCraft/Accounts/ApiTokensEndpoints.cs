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

    private static async Task<Created<CreateApiTokenResponse>> CreateAsync(CreateApiTokenRequest request, ApiTokenAdmin admin, CancellationToken ct)
    {
        var created = await admin.CreateAsync(request.Name, ct);
        return TypedResults.Created($"/api/tokens/{created.Id}", created);
    }

    private static async Task<Ok<List<ApiTokenResponse>>> ListAsync(ApiTokenAdmin admin, CancellationToken ct) =>
        TypedResults.Ok(await admin.ListAsync(ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, ApiTokenAdmin admin, CancellationToken ct) =>
        await admin.DeleteAsync(id, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"No API token {id} in this workspace. GET /api/tokens lists them.",
                statusCode: StatusCodes.Status404NotFound, title: "API token not found");
}

public sealed record CreateApiTokenRequest([Required, StringLength(100, MinimumLength = 1)] string Name);

/// <summary>The token is shown in this answer only; store it now.</summary>
internal sealed record CreateApiTokenResponse(long Id, string Name, string Token, DateTime CreatedAt);

/// <summary><c>prefix</c> is the token's first characters (e.g. <c>sc_Ab12</c>), to tell tokens apart.</summary>
internal sealed record ApiTokenResponse(long Id, string Name, string Prefix, DateTime CreatedAt, string CreatedBy, DateTime? LastUsedAt);
