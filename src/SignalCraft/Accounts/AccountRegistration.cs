using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SignalCraft.Data;

namespace SignalCraft.Accounts;

/// <summary>The outcome of a registration: the new account, or why not (a problem or field errors).</summary>
internal sealed record RegistrationResult(
    SignalCraftUser? User, long WorkspaceId, WorkspaceRole Role, RuleViolation? Problem, Dictionary<string, string[]>? Errors)
{
    public bool Succeeded => User is not null;
}

/// <summary>
/// Creating an account with its first workspace (or joining by invite): one transaction, shared by
/// <c>POST /api/auth/register</c> and the web sign-up page.
/// </summary>
internal sealed class AccountRegistration(
    UserManager<SignalCraftUser> users, SignalCraftDbContext db, TimeProvider time, IOptions<AccountsOptions> options)
{
    public async Task<RegistrationResult> RegisterAsync(RegisterRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var email = request.Email.Trim();
        if (request.InviteToken is { } inviteToken)
        {
            var (outcome, _) = await InviteRedemption.CheckAsync(db, inviteToken, email, now, ct);
            if (outcome != InviteOutcome.Usable)
            {
                return Fail(InviteRedemption.ToViolation(outcome));
            }
        }
        else if (!options.Value.AllowRegistration)
        {
            return Fail(new RuleViolation(StatusCodes.Status403Forbidden, "Registration closed",
                "Registration is closed on this installation. Ask an admin of a workspace for an invite link."));
        }
        if (await users.FindByEmailAsync(email) is not null)
        {
            return Fail(DuplicateEmail);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = new SignalCraftUser
        {
            UserName = email, Email = email, DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? null : request.DisplayName.Trim(),
        };
        var created = await users.CreateAsync(user, request.Password);
        if (!created.Succeeded)
        {
            return created.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail")
                ? Fail(DuplicateEmail)
                : new RegistrationResult(null, 0, default, null, IdentityErrors.ToDictionary(created.Errors));
        }

        long workspaceId;
        WorkspaceRole role;
        if (request.InviteToken is { } token)
        {
            var (outcome, invite) = await InviteRedemption.RedeemAsync(db, token, user.Id, email, now, ct);
            if (outcome != InviteOutcome.Usable)
            {
                return Fail(InviteRedemption.ToViolation(outcome));
            }
            (workspaceId, role) = (invite!.WorkspaceId, invite.Role);
        }
        else
        {
            var workspace = await WorkspaceCreation.CreateAsync(db, request.WorkspaceName!, user.Id, now, ct);
            (workspaceId, role) = (workspace.Id, WorkspaceRole.Owner);
        }
        await transaction.CommitAsync(ct);
        return new RegistrationResult(user, workspaceId, role, null, null);
    }

    private static RegistrationResult Fail(RuleViolation problem) => new(null, 0, default, problem, null);

    private static readonly RuleViolation DuplicateEmail = new(StatusCodes.Status409Conflict, "Email already registered",
        "An account with this email already exists. Sign in, or ask an admin for a reset link.");
}
