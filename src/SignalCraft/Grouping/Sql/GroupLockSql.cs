using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;

namespace SignalCraft.Grouping.Sql;

/// <summary>
/// Loads groups for change and, on PostgreSQL, locks their rows until the transaction ends (<c>FOR UPDATE</c>), so
/// concurrent occurrences of one group serialize instead of losing counts. SQLite has one writer at a time, so the
/// plain read is already safe there.
/// </summary>
internal static class GroupLockSql
{
    public static Task<List<AlertGroup>> OpenWithKeyAsync(SignalCraftDbContext db, bool postgres, long workspaceId,
        long integrationId, string identity, string environmentKey, CancellationToken ct) =>
        (postgres
            ? db.Set<AlertGroup>().FromSql($"""
                SELECT * FROM alert_groups
                WHERE workspace_id = {workspaceId} AND integration_id = {integrationId} AND identity = {identity}
                  AND environment_key = {environmentKey} AND status <> 'resolved'
                FOR UPDATE
                """)
            : db.Set<AlertGroup>().FromSql($"""
                SELECT * FROM alert_groups
                WHERE workspace_id = {workspaceId} AND integration_id = {integrationId} AND identity = {identity}
                  AND environment_key = {environmentKey} AND status <> 'resolved'
                """))
        .IgnoreQueryFilters().ToListAsync(ct);

    /// <summary>Every non-resolved group of an identity, whatever its environment (state changes apply to all).</summary>
    public static Task<List<AlertGroup>> OpenAnyEnvironmentAsync(SignalCraftDbContext db, bool postgres, long workspaceId,
        long integrationId, string identity, CancellationToken ct) =>
        (postgres
            ? db.Set<AlertGroup>().FromSql($"""
                SELECT * FROM alert_groups
                WHERE workspace_id = {workspaceId} AND integration_id = {integrationId} AND identity = {identity}
                  AND status <> 'resolved'
                ORDER BY id
                FOR UPDATE
                """)
            : db.Set<AlertGroup>().FromSql($"""
                SELECT * FROM alert_groups
                WHERE workspace_id = {workspaceId} AND integration_id = {integrationId} AND identity = {identity}
                  AND status <> 'resolved'
                ORDER BY id
                """))
        .IgnoreQueryFilters().ToListAsync(ct);

    /// <summary>The most recently resolved group of an identity (optionally of one environment), locked.</summary>
    public static async Task<AlertGroup?> LatestResolvedAsync(SignalCraftDbContext db, bool postgres, long workspaceId,
        long integrationId, string identity, string? environmentKey, CancellationToken ct)
    {
        var id = await db.Set<AlertGroup>().IgnoreQueryFilters()
            .Where(g => g.WorkspaceId == workspaceId && g.IntegrationId == integrationId && g.Identity == identity
                && g.Status == Alerts.GroupStatus.Resolved && (environmentKey == null || g.EnvironmentKey == environmentKey))
            .OrderByDescending(g => g.ResolvedAt).ThenByDescending(g => g.Id)
            .Select(g => (long?)g.Id).FirstOrDefaultAsync(ct);
        if (id is null)
        {
            return null;
        }
        var rows = await (postgres
                ? db.Set<AlertGroup>().FromSql($"SELECT * FROM alert_groups WHERE id = {id} AND status = 'resolved' FOR UPDATE")
                : db.Set<AlertGroup>().FromSql($"SELECT * FROM alert_groups WHERE id = {id} AND status = 'resolved'"))
            .IgnoreQueryFilters().ToListAsync(ct);
        return rows.FirstOrDefault();
    }

    /// <summary>One group by id, locked for change (PostgreSQL), under the caller's workspace filter.</summary>
    public static async Task<AlertGroup?> ByIdAsync(SignalCraftDbContext db, bool postgres, long id, CancellationToken ct)
    {
        if (!postgres)
        {
            return await db.Set<AlertGroup>().FirstOrDefaultAsync(g => g.Id == id, ct);
        }
        var rows = await db.Set<AlertGroup>().FromSql($"SELECT * FROM alert_groups WHERE id = {id} FOR UPDATE")
            .IgnoreQueryFilters().ToListAsync(ct);
        // The lock query bypasses the filter (it cannot be composed); the workspace check is applied here.
        return rows.FirstOrDefault(g => db.CurrentWorkspaceId is null || g.WorkspaceId == db.CurrentWorkspaceId);
    }
}
