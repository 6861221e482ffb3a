using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;

namespace SignalCraft.Notify;

/// <summary>
/// Writes NotificationLog rows, each in its own transaction (outside the job's work), so an attempt that started
/// is on record even when the process dies before its outcome.
/// </summary>
public static class DeliveryLog
{
    public static async Task<NotificationLog> StartAsync(SignalCraftDbContext db, long workspaceId, long groupId, long targetId, long? jobId,
        string kind, int attempt, DateTime now, bool isFallback, CancellationToken ct)
    {
        var row = new NotificationLog
        {
            WorkspaceId = workspaceId, GroupId = groupId, TargetId = targetId, JobId = jobId, Kind = kind, Attempt = attempt,
            Status = NotificationStatus.Started, StartedAt = now, IsFallback = isFallback,
        };
        db.Add(row);
        await db.SaveChangesAsync(ct);
        return row;
    }

    public static async Task FinishAsync(SignalCraftDbContext db, NotificationLog row, NotifierResult result, DateTime now, CancellationToken ct)
    {
        row.Status = result.Success ? NotificationStatus.Sent : NotificationStatus.Failed;
        row.Category = result.Category?.ToString();
        row.Error = result.Reason is { Length: > 1000 } long_ ? long_[..1000] : result.Reason;
        row.MessageRef = result.MessageRef;
        row.PossibleDuplicate = result.PossibleDuplicate;
        row.FinishedAt = now;
        await db.SaveChangesAsync(ct);
        Health.OperatorMetrics.NotificationFinished(row.Kind, result.Success, row.Category, now - row.StartedAt);
        if (result.Success && row.Kind == NotificationReasons.Opened)
        {
            var openedAt = await db.Set<Grouping.AlertGroup>().IgnoreQueryFilters().Where(g => g.Id == row.GroupId)
                .Select(g => (DateTime?)g.OpenedAt).FirstOrDefaultAsync(ct);
            if (openedAt is { } opened)
            {
                Health.OperatorMetrics.FirstPostDelivered(now - opened);
            }
        }
    }

    public static async Task HeldAsync(SignalCraftDbContext db, long workspaceId, long groupId, long targetId, long? jobId, string kind,
        string why, DateTime now, CancellationToken ct)
    {
        db.Add(new NotificationLog
        {
            WorkspaceId = workspaceId, GroupId = groupId, TargetId = targetId, JobId = jobId, Kind = kind, Status = NotificationStatus.Held,
            Error = why, StartedAt = now, FinishedAt = now,
        });
        await db.SaveChangesAsync(ct);
    }
}
