using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SignalCraft.Data;

namespace SignalCraft.Accounts;

/// <summary>
/// <c>/api/auth</c>: register, sign in (bearer token for scripts, cookie with <c>?useCookies=true</c>), refresh, sign
/// out, and redeem a reset link. Built on Identity's SignInManager the way <c>MapIdentityApi</c> is, with register
/// creating the first workspace and errors as problem details.
/// </summary>
internal static class AuthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous();
        group.MapPost("/register", RegisterAsync)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone);
        group.MapPost("/login", LoginAsync)
            .Produces<AccessTokenResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithDescription("Answers {accessToken, expiresIn, refreshToken}; with ?useCookies=true sets the sign-in cookie instead.");
        group.MapPost("/refresh", RefreshAsync)
            .Produces<AccessTokenResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/logout", LogoutAsync);
        group.MapPost("/reset-password", ResetPasswordAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone);
    }

    private static async Task<Results<Ok<RegisterResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, AccountRegistration registration, CancellationToken ct)
    {
        var result = await registration.RegisterAsync(request, ct);
        if (result.Errors is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (result.Problem is { } problem)
        {
            return MembersEndpoints.Problem(problem);
        }
        return TypedResults.Ok(new RegisterResponse(result.User!.Id, result.User.Email!, result.WorkspaceId, result.Role));
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> LoginAsync(
        LoginRequest request, bool? useCookies, SignInManager<SignalCraftUser> signIn)
    {
        var cookies = useCookies == true;
        signIn.AuthenticationScheme = cookies ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.Email.Trim(), request.Password, isPersistent: cookies, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return TypedResults.Problem(
                "Too many wrong passwords: this account is locked for a few minutes. Try again later, or ask an admin for a reset link.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Account locked");
        }
        if (!result.Succeeded)
        {
            return TypedResults.Problem("The email or the password is wrong.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed");
        }
        // The sign-in already wrote the answer: the token JSON (bearer scheme) or the Set-Cookie header.
        return TypedResults.Empty;
    }

    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, SignInManager<SignalCraftUser> signIn, IOptionsMonitor<BearerTokenOptions> bearerOptions,
        TimeProvider time)
    {
        var ticket = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(request.RefreshToken);
        // The security stamp check refuses refresh tokens issued before a password reset.
        if (ticket?.Properties.ExpiresUtc is not { } expires || time.GetUtcNow() >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user)
        {
            return TypedResults.Problem("This refresh token is expired or no longer valid. Sign in again with POST /api/auth/login.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Refresh failed");
        }
        var principal = await signIn.CreateUserPrincipalAsync(user);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static async Task<NoContent> LogoutAsync(SignInManager<SignalCraftUser> signIn)
    {
        // Ends the cookie session. Bearer access tokens cannot be recalled; they expire (1 hour) and scripts drop them.
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ResetPasswordResponse>, ValidationProblem, ProblemHttpResult>> ResetPasswordAsync(
        ResetPasswordRequest request, PasswordResetLinks links, CancellationToken ct)
    {
        var (outcome, email, errors) = await links.RedeemAsync(request.Token, request.NewPassword, ct);
        return outcome switch
        {
            ResetOutcome.Done => TypedResults.Ok(new ResetPasswordResponse(email!)),
            ResetOutcome.PasswordRejected => TypedResults.ValidationProblem(IdentityErrors.ToDictionary(errors, "newPassword")),
            ResetOutcome.Used => TypedResults.Problem("This reset link was already used. Ask an admin for a new one.",
                statusCode: StatusCodes.Status410Gone, title: "Reset link already used"),
            ResetOutcome.Expired => TypedResults.Problem("This reset link has expired. Ask an admin for a new one.",
                statusCode: StatusCodes.Status410Gone, title: "Reset link expired"),
            _ => TypedResults.Problem("This reset link is not valid. Check that it was copied completely, or ask an admin for a new one.",
                statusCode: StatusCodes.Status404NotFound, title: "Reset link not found"),
        };
    }

}

// Request bodies are public because the validation source generator (AddValidation) only sees public types.

/// <summary>Register with <c>workspaceName</c> (a new workspace you own) or <c>inviteToken</c> (join the inviting one).</summary>
public sealed record RegisterRequest(
    [Required, EmailAddress(ErrorMessage = "email must be an email address such as ada@example.com."), StringLength(256)] string Email,
    [Required, StringLength(256)] string Password,
    [StringLength(200, MinimumLength = 1)] string? WorkspaceName,
    [StringLength(100)] string? DisplayName,
    [StringLength(200)] string? InviteToken) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(WorkspaceName) == string.IsNullOrWhiteSpace(InviteToken))
        {
            yield return new ValidationResult(
                "Send workspaceName to create your workspace, or inviteToken to join the workspace that invited you (one of the two).",
                ["workspaceName"]);
        }
    }
}

internal sealed record RegisterResponse(string UserId, string Email, long WorkspaceId, WorkspaceRole Role);

public sealed record LoginRequest([Required] string Email, [Required] string Password);

public sealed record RefreshRequest([Required] string RefreshToken);

public sealed record ResetPasswordRequest([Required] string Token, [Required, StringLength(256)] string NewPassword);

internal sealed record ResetPasswordResponse(string Email);

internal static class IdentityErrors
{
    /// <summary>Identity's errors keyed by the request field they concern, for a ValidationProblem.</summary>
    public static Dictionary<string, string[]> ToDictionary(IEnumerable<IdentityError> errors, string passwordField = "password") =>
        errors.GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? passwordField : "email")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
}
