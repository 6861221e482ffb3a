using SignalCraft.Data;

namespace SignalCraft.Notify;

/// <summary>Keeps each target's status and last success/failure, so health is visible in rule and integration responses.</summary>
public sealed class NotificationTargetHealth(SignalCraftDbContext db, Health.Delivery.SlackTokenChecks tokenChecks)
{
    public async Task RecordAsync(NotificationTarget target, NotifierResult result, DateTime now, CancellationToken ct)
    {
        if (result.Success)
        {
            target.Status = TargetStatus.Ok;
            target.LastSuccessAt = now;
        }
        else
        {
            target.LastFailureAt = now;
            target.LastError = $"{result.Category}: {result.Reason}";
            if (result.Category is FailureCategory.Config or FailureCategory.Permanent)
            {
                target.Status = TargetStatus.Broken;
            }
            if (result.Category == FailureCategory.Auth && target.ConnectionId is { } connectionId)
            {
                // Delivery Health checks the token with auth.test after any auth error (saved with the target below).
                await tokenChecks.CheckSoonAsync(connectionId, target.WorkspaceId, ct);
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
