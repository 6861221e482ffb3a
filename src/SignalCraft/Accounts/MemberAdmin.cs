using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Data;
using SignalCraft.Hosting;

namespace SignalCraft.Accounts;

/// <summary>
/// Managing the current workspace's people: list, change role, remove, reset links and invites. The API endpoints
/// and the web pages both call it, so a rule (<see cref="MemberRules"/>) holds the same way in both. Runs under the
/// request's workspace filter; <paramref name="current"/> is the acting person.
/// </summary>
internal sealed class MemberAdmin(
    SignalCraftDbContext db, CurrentWorkspace current, PasswordResetLinks links, TimeProvider time, PublicUrls urls,
    IOptions<AccountsOptions> options)
{
    /// <summary>Members of the current workspace with their account details, oldest first.</summary>
    public Task<List<MemberResponse>> ListAsync(CancellationToken ct) => Members().ToListAsync(ct);

    public async Task<(RuleViolation? Problem, MemberResponse? Member)> ChangeRoleAsync(string userId, WorkspaceRole role, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await WorkspaceCreation.LockAsync(db, current.WorkspaceId, ct);
        if (await CallerRoleAsync(ct) is not { } callerRole)
        {
            return (NoLongerMember, null);
        }
        var member = await db.Set<WorkspaceMember>().SingleOrDefaultAsync(m => m.UserId == userId, ct);
        if (member is null)
        {
            return (MemberNotFound(userId), null);
        }
        var owners = member.Role == WorkspaceRole.Owner ? await CountOwnersAsync(ct) : 0;
        if (MemberRules.CheckRoleChange(callerRole, member.Role, role, owners) is { } violation)
        {
            return (violation, null);
        }
        member.Role = role;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (null, await Members(userId).SingleAsync(ct));
    }

    public async Task<RuleViolation?> RemoveAsync(string userId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await WorkspaceCreation.LockAsync(db, current.WorkspaceId, ct);
        if (await CallerRoleAsync(ct) is not { } callerRole)
        {
            return NoLongerMember;
        }
        var member = await db.Set<WorkspaceMember>().SingleOrDefaultAsync(m => m.UserId == userId, ct);
        if (member is null)
        {
            return MemberNotFound(userId);
        }
        var owners = member.Role == WorkspaceRole.Owner ? await CountOwnersAsync(ct) : 0;
        if (MemberRules.CheckRemoval(callerRole, member.Role, owners) is { } violation)
        {
            return violation;
        }
        db.Remove(member);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return null;
    }

    public async Task<(RuleViolation? Problem, ResetLinkResponse? Link)> IssueResetLinkAsync(string userId, CancellationToken ct)
    {
        var member = await db.Set<WorkspaceMember>().AsNoTracking().SingleOrDefaultAsync(m => m.UserId == userId, ct);
        if (member is null)
        {
            return (MemberNotFound(userId), null);
        }
        var elsewhere = await db.Set<WorkspaceMember>().IgnoreQueryFilters([WorkspaceFilter.Name])
            .AnyAsync(m => m.UserId == userId && m.WorkspaceId != current.WorkspaceId, ct);
        if (MemberRules.CheckResetLink(current.Role, member.Role, elsewhere) is { } violation)
        {
            return (violation, null);
        }
        var (url, expiresAt) = await links.IssueAsync(userId, current.DisplayName, ct);
        return (null, new ResetLinkResponse(url, expiresAt));
    }

    /// <summary>Creates an invite; the answer carries the link once (only the token's hash is stored).</summary>
    public async Task<(RuleViolation? Problem, CreateInviteResponse? Invite)> InviteAsync(string email, WorkspaceRole role, CancellationToken ct)
    {
        if (MemberRules.CheckGrant(current.Role, role) is { } violation)
        {
            return (violation, null);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var token = OpaqueTokens.NewToken();
        var invite = new WorkspaceInvite
        {
            WorkspaceId = current.WorkspaceId, Email = email.Trim(), Role = role, TokenHash = OpaqueTokens.Hash(token),
            CreatedAt = now, ExpiresAt = now + options.Value.InviteLifetime, CreatedBy = current.DisplayName,
        };
        db.Add(invite);
        await db.SaveChangesAsync(ct);
        return (null, new CreateInviteResponse(invite.Id, AccountLinks.Invite(urls, token), invite.Email, invite.Role, invite.ExpiresAt));
    }

    /// <summary>Invites not yet accepted and not expired.</summary>
    public Task<List<InviteResponse>> PendingInvitesAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Set<WorkspaceInvite>().Where(i => i.AcceptedAt == null && i.ExpiresAt > now).OrderBy(i => i.Id)
            .Select(i => new InviteResponse(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, i.CreatedBy))
            .ToListAsync(ct);
    }

    public async Task<bool> DeleteInviteAsync(long id, CancellationToken ct) =>
        await db.Set<WorkspaceInvite>().Where(i => i.Id == id).ExecuteDeleteAsync(ct) > 0;

    private IQueryable<MemberResponse> Members(string? userId = null) =>
        db.Set<WorkspaceMember>().Where(m => userId == null || m.UserId == userId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { Member = m, u.Email, u.DisplayName })
            .OrderBy(x => x.Member.JoinedAt).ThenBy(x => x.Email)
            .Select(x => new MemberResponse(x.Member.UserId, x.Email!, x.DisplayName, x.Member.Role, x.Member.JoinedAt));

    private Task<int> CountOwnersAsync(CancellationToken ct) => db.Set<WorkspaceMember>().CountAsync(m => m.Role == WorkspaceRole.Owner, ct);

    /// <summary>
    /// The caller's role read again under the workspace lock: the one checked by the policy may have changed while this
    /// request waited for a concurrent member change (say, the caller was just demoted).
    /// </summary>
    private async Task<WorkspaceRole?> CallerRoleAsync(CancellationToken ct) =>
        current.IsApiToken
            ? current.Role
            : await db.Set<WorkspaceMember>().Where(m => m.UserId == current.UserId).Select(m => (WorkspaceRole?)m.Role).SingleOrDefaultAsync(ct);

    private static readonly RuleViolation NoLongerMember = new(StatusCodes.Status404NotFound, "Workspace not found",
        "You are no longer a member of this workspace.");

    private static RuleViolation MemberNotFound(string userId) => new(StatusCodes.Status404NotFound, "Member not found",
        $"No member with user id '{(userId.Length <= 64 ? userId : userId[..64] + "…")}' in this workspace. GET /api/members lists them.");
}
