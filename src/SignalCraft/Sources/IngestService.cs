using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Grouping.Sql;
using SignalCraft.Integrations;

namespace SignalCraft.Sources;

/// <summary>What happened to an accepted alert.</summary>
public sealed record IngestResult(long? EventId, bool Duplicate, IReadOnlyList<GroupChange> Changes);

/// <summary>
/// Stores an accepted alert and groups it in one transaction, so a 2xx always means the event row is committed
/// together with its group, and durable (on SQLite through <see cref="SqliteGroupSync"/>: concurrent webhooks share one
/// fsync). Shared by every source.
/// </summary>
public sealed class IngestService(SignalCraftDbContext db, GroupingService grouping, IGroupingSettingsProvider settings, SqliteWriteGate writeGate,
    SqliteGroupSync groupSync)
{
    private static readonly JsonSerializerOptions TagJson = new(JsonSerializerDefaults.Web);

    public async Task<IngestResult> AcceptAsync(Integration integration, NormalizedAlert alert, ReadOnlyMemory<byte> raw,
        DateTime now, CancellationToken ct)
    {
        var groupingSettings = await settings.GetAsync(db, integration.WorkspaceId, ct);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                IngestResult result;
                using (await writeGate.EnterAsync(ct))
                {
                    result = await StoreAsync(integration, alert, raw, now, groupingSettings, ct);
                }
                if (groupSync.Applies && !result.Duplicate)
                {
                    // Outside the writer lock: the next webhook writes while this one waits for the shared fsync.
                    await groupSync.SyncAsync().WaitAsync(ct);
                }
                return result;
            }
            catch (Exception ex) when (attempt < 5 && IsRaceLost(ex))
            {
                // Another request opened or reopened the same group between our read and our write (PostgreSQL).
                // The transaction rolled back as a whole; the next attempt sees that group and joins it.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<IngestResult> StoreAsync(Integration integration, NormalizedAlert alert, ReadOnlyMemory<byte> raw, DateTime now,
        GroupingSettings groupingSettings, CancellationToken ct)
    {
        var relaxed = groupSync.Applies;
        if (relaxed)
        {
            await db.Database.OpenConnectionAsync(ct);
            await groupSync.RelaxAsync(db.Database.GetDbConnection(), ct);
        }
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var eventId = await EventInsertSql.InsertAsync(db, ToEvent(integration, alert, raw, now), ct);
            if (eventId is null)
            {
                await tx.RollbackAsync(ct);
                return new IngestResult(null, Duplicate: true, []);
            }
            var changes = await grouping.ApplyAsync(db, new GroupingInput(integration.WorkspaceId, integration.Id, eventId.Value, alert, now),
                groupingSettings, ct);
            await tx.CommitAsync(ct);
            return new IngestResult(eventId, Duplicate: false, changes);
        }
        finally
        {
            if (relaxed)
            {
                await groupSync.RestoreAsync(db.Database.GetDbConnection());
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private static bool IsRaceLost(Exception ex) =>
        ex is Jobs.DuplicateJobException
        || (ex as PostgresException ?? ex.InnerException as PostgresException)?.SqlState is PostgresErrorCodes.UniqueViolation
            or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;

    private static AlertEvent ToEvent(Integration integration, NormalizedAlert alert, ReadOnlyMemory<byte> raw, DateTime now) => new()
    {
        WorkspaceId = integration.WorkspaceId,
        IntegrationId = integration.Id,
        Source = alert.Source,
        Kind = alert.Kind.ToString(),
        Action = alert.Action,
        SourceEventId = alert.SourceEventId,
        Identity = alert.Identity,
        Project = alert.Project,
        Environment = alert.Environment,
        Severity = alert.Severity,
        Title = alert.Title.Length > 1000 ? alert.Title[..1000] : alert.Title,
        Description = alert.Description,
        Tags = JsonSerializer.Serialize(alert.Tags, TagJson),
        OccurredAt = alert.OccurredAt,
        ReceivedAt = now,
        Link = alert.Link,
        RuleName = alert.RuleName,
        Actor = alert.Actor,
        RawPayload = Encoding.UTF8.GetString(raw.Span),
    };
}
