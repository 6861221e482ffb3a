using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;

namespace SignalCraft.Accounts;

/// <summary>Creating workspaces, and the row lock that serialises member changes within one.</summary>
internal static class WorkspaceCreation
{
    /// <summary>Adds a workspace with <paramref name="ownerUserId"/> as its owner and default settings. The caller commits.</summary>
    public static async Task<Workspace> CreateAsync(
        SignalCraftDbContext db, string name, string ownerUserId, DateTime now, CancellationToken ct)
    {
        var workspace = new Workspace { Name = name.Trim(), CreatedAt = now };
        db.Add(workspace);
        await db.SaveChangesAsync(ct);
        db.Add(new WorkspaceMember { WorkspaceId = workspace.Id, UserId = ownerUserId, Role = WorkspaceRole.Owner, JoinedAt = now });
        db.Add(WorkspaceSettingsStore.NewRow(workspace.Id, now));
        await db.SaveChangesAsync(ct);
        return workspace;
    }

    /// <summary>
    /// Takes the workspace row's write lock for the rest of the transaction, so that two concurrent member changes
    /// (say two owners demoting each other) run one after the other and the last-owner check sees the other's result.
    /// A no-op UPDATE does it on both providers (a row lock on PostgreSQL, the database write lock on SQLite).
    /// </summary>
    public static Task LockAsync(SignalCraftDbContext db, long workspaceId, CancellationToken ct) =>
        db.Set<Workspace>().Where(w => w.Id == workspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.Name, w => w.Name), ct);
}
