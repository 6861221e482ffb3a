using SignalCraft.Data;

namespace SignalCraft.Notify;

/// <summary>Keeps each target's status and last success/failure, so health is visible in rule and integration responses.</summary>
public sealed class NotificationTargetHealth(SignalCraftDbContext db)
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
        }
        await db.SaveChangesAsync(ct);
    }
}
