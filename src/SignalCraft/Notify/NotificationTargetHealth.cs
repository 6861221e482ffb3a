using SignalCraft.Data;

namespace SignalCraft.Notify;

/// <summary>Keeps each target's status and last success/failure, so health is visible in rule and integration responses.</summary>
public sealed class NotificationTargetHealth(SignalCraftDbContext db, Health.Delivery.SlackTokenChecks tokenChecks,
    Health.SlackOutage.SlackOutageChecks outageChecks)
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
        if (!result.Success && target.Kind == "slack" && result.Category is FailureCategory.Auth or FailureCategory.Transient or FailureCategory.ServiceUnavailable)
        {
            // Watches how long Slack keeps failing, to tell the fallback when it is too long (a no-op while armed; saves itself).
            await outageChecks.ArmAsync(ct);
        }
    }
}
