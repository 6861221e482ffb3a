using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Grouping;

namespace SignalCraft.Accounts;

/// <summary>Finds workspace members by id or email, for assignment from the API and from Sentry.</summary>
public sealed class MemberDirectory(SignalCraftDbContext db) : IMemberDirectory
{
    public Task<MemberRef?> FindAsync(long workspaceId, string userId, CancellationToken ct) =>
        FirstAsync(db, workspaceId, u => u.Id == userId, ct);

    public Task<MemberRef?> FindByEmailAsync(SignalCraftDbContext context, long workspaceId, string email, CancellationToken ct)
    {
        var normalized = email.Trim().ToUpperInvariant();
        return FirstAsync(context, workspaceId, u => u.NormalizedEmail == normalized, ct);
    }

    /// <summary>Every member of <paramref name="workspaceId"/> by name, for assignee pickers.</summary>
    public async Task<IReadOnlyList<MemberRef>> ListAsync(long workspaceId, CancellationToken ct)
    {
        var memberIds = db.Set<WorkspaceMember>().IgnoreQueryFilters().Where(m => m.WorkspaceId == workspaceId).Select(m => m.UserId);
        var users = await db.Users.Where(u => memberIds.Contains(u.Id))
            .Select(u => new { u.Id, Name = u.DisplayName ?? u.Email ?? u.UserName }).ToListAsync(ct);
        return users.Select(u => new MemberRef(u.Id, u.Name ?? u.Id)).OrderBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static async Task<MemberRef?> FirstAsync(SignalCraftDbContext context, long workspaceId,
        System.Linq.Expressions.Expression<Func<SignalCraftUser, bool>> which, CancellationToken ct)
    {
        var memberIds = context.Set<WorkspaceMember>().IgnoreQueryFilters().Where(m => m.WorkspaceId == workspaceId).Select(m => m.UserId);
        var user = await context.Users.Where(which).Where(u => memberIds.Contains(u.Id))
            .Select(u => new { u.Id, Name = u.DisplayName ?? u.Email ?? u.UserName })
            .FirstOrDefaultAsync(ct);
        return user is null ? null : new MemberRef(user.Id, user.Name ?? user.Id);
    }
}
