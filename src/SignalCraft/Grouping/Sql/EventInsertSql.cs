using Microsoft.EntityFrameworkCore;
using SignalCraft.Alerts;
using SignalCraft.Data;

namespace SignalCraft.Grouping.Sql;

/// <summary>
/// Inserts an event unless the integration already has one with the same source event id. The unique index is
/// the guard (not a check-then-insert), so racing duplicates store one row; the same SQL runs on both providers.
/// </summary>
internal static class EventInsertSql
{
    /// <returns>The new event id, or null when it was a duplicate.</returns>
    public static async Task<long?> InsertAsync(SignalCraftDbContext db, AlertEvent e, CancellationToken ct)
    {
        var severity = (int?)e.Severity;
        var ids = await db.Database.SqlQuery<long>($"""
            INSERT INTO alert_events (workspace_id, integration_id, group_id, source, kind, action, source_event_id,
                identity, project, environment, severity, title, description, tags, occurred_at, received_at, link,
                rule_name, actor, raw_payload)
            VALUES ({e.WorkspaceId}, {e.IntegrationId}, NULL, {e.Source}, {e.Kind}, {e.Action}, {e.SourceEventId},
                {e.Identity}, {e.Project}, {e.Environment}, {severity}, {e.Title}, {e.Description}, {e.Tags},
                {e.OccurredAt}, {e.ReceivedAt}, {e.Link}, {e.RuleName}, {e.Actor}, {e.RawPayload})
            ON CONFLICT (integration_id, source_event_id) DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(ct);
        return ids.Count == 0 ? null : ids[0];
    }

    public static Task SetGroupAsync(SignalCraftDbContext db, long eventId, long groupId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"UPDATE alert_events SET group_id = {groupId} WHERE id = {eventId}", ct);
}
