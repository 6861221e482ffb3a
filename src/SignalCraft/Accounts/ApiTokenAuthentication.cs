using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Data;

namespace SignalCraft.Accounts;

/// <summary>Authentication scheme names of SignalCraft.</summary>
public static class AccountsSchemes
{
    /// <summary>
    /// The default scheme: a policy scheme that forwards by the shape of the request. <c>Bearer sc_…</c> goes to
    /// <see cref="ApiToken"/>, any other bearer token to Identity's bearer scheme, no Authorization header to Identity's
    /// cookie. Challenges and forbids always answer 401/403 (the bearer behaviour), never a login redirect.
    /// </summary>
    public const string Default = "SignalCraft";

    public const string ApiToken = "SignalCraft.ApiToken";

    internal static string Select(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization;
        if (authorization.Count == 0)
        {
            return IdentityConstants.ApplicationScheme;
        }
        var value = authorization.ToString();
        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && value.AsSpan(7).TrimStart().StartsWith(OpaqueTokens.ApiTokenPrefix, StringComparison.Ordinal))
        {
            return ApiToken;
        }
        return IdentityConstants.BearerScheme;
    }
}

/// <summary>The claims an API token principal carries.</summary>
internal static class ApiTokenClaims
{
    public const string TokenId = "signalcraft:api_token_id";
    public const string WorkspaceId = "signalcraft:workspace_id";

    public static ClaimsPrincipal Create(long tokenId, long workspaceId, string name) => new(new ClaimsIdentity(
    [
        new Claim(TokenId, tokenId.ToString(CultureInfo.InvariantCulture)),
        new Claim(WorkspaceId, workspaceId.ToString(CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, name),
    ], AccountsSchemes.ApiToken));

    public static (long TokenId, long WorkspaceId, string Name)? Read(ClaimsPrincipal user) =>
        user.FindFirstValue(TokenId) is { } tokenId && user.FindFirstValue(WorkspaceId) is { } workspaceId
            ? (long.Parse(tokenId, CultureInfo.InvariantCulture), long.Parse(workspaceId, CultureInfo.InvariantCulture),
                user.FindFirstValue(ClaimTypes.Name) ?? "")
            : null;
}

/// <summary>
/// Authenticates <c>Authorization: Bearer sc_…</c> by looking the token's SHA-256 up in the database on every request,
/// so a deleted token stops working at the next request.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, SignalCraftDbContext db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    // Recording every use would turn each API call into a write; a few minutes of precision is enough to spot unused tokens.
    private static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(5);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var value = Request.Headers.Authorization.ToString();
        if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var hash = OpaqueTokens.Hash(value[7..].Trim());
        var token = await db.Set<ApiToken>().IgnoreQueryFilters([WorkspaceFilter.Name]).AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Select(t => new { t.Id, t.WorkspaceId, t.Name, t.LastUsedAt })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (token is null)
        {
            return AuthenticateResult.Fail("This API token is not valid: it was deleted or mistyped");
        }

        var now = TimeProvider.GetUtcNow().UtcDateTime;
        if (token.LastUsedAt is null || now - token.LastUsedAt.Value >= LastUsedPrecision)
        {
            await db.Set<ApiToken>().IgnoreQueryFilters([WorkspaceFilter.Name]).Where(t => t.Id == token.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
        }
        var principal = ApiTokenClaims.Create(token.Id, token.WorkspaceId, token.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
