namespace SignalCraft.Accounts;

/// <summary>A rule a member change breaks, with the answer the API gives (403 or 409) and what to do about it.</summary>
internal sealed record RuleViolation(int StatusCode, string Title, string Detail);

/// <summary>
/// Who may give, change or take which role; pure, so each rule is tested directly. Admins manage members and admins;
/// only owners grant the owner role or touch another owner; the last owner can neither leave nor be demoted.
/// </summary>
internal static class MemberRules
{
    public static RuleViolation? CheckGrant(WorkspaceRole caller, WorkspaceRole granted)
    {
        if (caller < WorkspaceRole.Admin)
        {
            return Forbidden("Only admins and owners manage members.");
        }
        return granted == WorkspaceRole.Owner && caller != WorkspaceRole.Owner
            ? Forbidden("Only an owner can make someone an owner.")
            : null;
    }

    public static RuleViolation? CheckRoleChange(WorkspaceRole caller, WorkspaceRole current, WorkspaceRole requested, int ownerCount)
    {
        if (current == WorkspaceRole.Owner && caller != WorkspaceRole.Owner)
        {
            return Forbidden("Only an owner can change an owner's role.");
        }
        if (CheckGrant(caller, requested) is { } violation)
        {
            return violation;
        }
        return current == WorkspaceRole.Owner && requested != WorkspaceRole.Owner && ownerCount <= 1
            ? LastOwner("demoted: make another member an owner first, then change this role")
            : null;
    }

    public static RuleViolation? CheckRemoval(WorkspaceRole caller, WorkspaceRole current, int ownerCount)
    {
        if (caller < WorkspaceRole.Admin)
        {
            return Forbidden("Only admins and owners manage members.");
        }
        if (current == WorkspaceRole.Owner && caller != WorkspaceRole.Owner)
        {
            return Forbidden("Only an owner can remove an owner.");
        }
        return current == WorkspaceRole.Owner && ownerCount <= 1
            ? LastOwner("removed: make another member an owner first")
            : null;
    }

    /// <summary>
    /// A reset link takes over an account, so it must not reach beyond the issuing workspace: only for users who belong
    /// to no other workspace, and only an owner may reset an owner.
    /// </summary>
    public static RuleViolation? CheckResetLink(WorkspaceRole caller, WorkspaceRole target, bool targetInOtherWorkspaces)
    {
        if (caller < WorkspaceRole.Admin)
        {
            return Forbidden("Only admins and owners issue reset links.");
        }
        if (target == WorkspaceRole.Owner && caller != WorkspaceRole.Owner)
        {
            return Forbidden("Only an owner can issue a reset link for an owner.");
        }
        return targetInOtherWorkspaces
            ? new RuleViolation(StatusCodes.Status409Conflict, "Member of other workspaces",
                "This person also belongs to other workspaces, so a reset link from this one would reach into those. "
                + "They can ask the operator of this installation to run the reset-password command.")
            : null;
    }

    private static RuleViolation Forbidden(string detail) =>
        new(StatusCodes.Status403Forbidden, "Not allowed for your role", detail);

    private static RuleViolation LastOwner(string what) => new(StatusCodes.Status409Conflict, "Last owner",
        $"A workspace always keeps an owner, and this is its last owner, so it cannot be {what}.");
}
