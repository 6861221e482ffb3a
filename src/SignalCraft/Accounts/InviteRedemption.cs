using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;

namespace SignalCraft.Accounts;

internal enum InviteOutcome
{
    Usable,
    Unknown,
    Used,
    Expired,
    OtherEmail,
    AlreadyMember,
}

/// <summary>Checking and redeeming invite tokens (accept, and register-with-invite).</summary>
internal static class InviteRedemption
{
    /// <summary>Whether <paramref name="token"/> could be redeemed now by the person with <paramref name="email"/>.</summary>
    public static async Task<(InviteOutcome Outcome, WorkspaceInvite? Invite)> CheckAsync(
        SignalCraftDbContext db, string token, string email, DateTime now, CancellationToken ct)
    {
        var hash = OpaqueTokens.Hash(token);
        // The invitee is not a member yet, so the lookup is deliberately across workspaces: the token names its own.
        var invite = await db.Set<WorkspaceInvite>().IgnoreQueryFilters([WorkspaceFilter.Name]).AsNoTracking()
            .SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        var outcome = invite switch
        {
            null => InviteOutcome.Unknown,
            { AcceptedAt: not null } => InviteOutcome.Used,
            _ when invite.ExpiresAt <= now => InviteOutcome.Expired,
            _ when !string.Equals(invite.Email.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase) => InviteOutcome.OtherEmail,
            _ => InviteOutcome.Usable,
        };
        return (outcome, invite);
    }

    /// <summary>
    /// Joins <paramref name="userId"/> to the invite's workspace and spends the invite. Run inside a transaction: the
    /// conditional update makes the invite single-use even when two accepts race.
    /// </summary>
    public static async Task<(InviteOutcome Outcome, WorkspaceInvite? Invite)> RedeemAsync(
        SignalCraftDbContext db, string token, string userId, string email, DateTime now, CancellationToken ct)
    {
        var (outcome, invite) = await CheckAsync(db, token, email, now, ct);
        if (outcome != InviteOutcome.Usable)
        {
            return (outcome, invite);
        }
        var alreadyMember = await db.Set<WorkspaceMember>().IgnoreQueryFilters([WorkspaceFilter.Name])
            .AnyAsync(m => m.WorkspaceId == invite!.WorkspaceId && m.UserId == userId, ct);
        if (alreadyMember)
        {
            return (InviteOutcome.AlreadyMember, invite);
        }
        var claimed = await db.Set<WorkspaceInvite>().IgnoreQueryFilters([WorkspaceFilter.Name])
            .Where(i => i.Id == invite!.Id && i.AcceptedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.AcceptedByUserId, userId), ct);
        if (claimed == 0)
        {
            return (InviteOutcome.Used, invite);
        }
        db.Add(new WorkspaceMember { WorkspaceId = invite!.WorkspaceId, UserId = userId, Role = invite.Role, JoinedAt = now });
        await db.SaveChangesAsync(ct);
        return (InviteOutcome.Usable, invite);
    }

    public static ProblemHttpResult ToProblem(InviteOutcome outcome) => MembersEndpoints.Problem(ToViolation(outcome));

    /// <summary>Why an invite cannot be used, with the status the API answers and what to do.</summary>
    public static RuleViolation ToViolation(InviteOutcome outcome) => outcome switch
    {
        InviteOutcome.Used => new(StatusCodes.Status410Gone, "Invite already used",
            "This invite link was already used. Ask an admin of the workspace for a new one."),
        InviteOutcome.Expired => new(StatusCodes.Status410Gone, "Invite expired",
            "This invite link has expired. Ask an admin of the workspace for a new one."),
        InviteOutcome.OtherEmail => new(StatusCodes.Status403Forbidden, "Invite is for someone else",
            "This invite was issued for another email address. Sign in as the invited person, or ask an admin to invite your address."),
        InviteOutcome.AlreadyMember => new(StatusCodes.Status409Conflict, "Already a member",
            "You are already a member of this workspace."),
        _ => new(StatusCodes.Status404NotFound, "Invite not found",
            "This invite link is not valid. Check that it was copied completely, or ask an admin for a new one."),
    };
}
