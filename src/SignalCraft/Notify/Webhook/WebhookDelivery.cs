using SignalCraft.Grouping;
using SignalCraft.Hosting;
using SignalCraft.Secrets;

namespace SignalCraft.Notify.Webhook;

/// <summary>Builds the frozen payload for a group and sends it to a webhook target.</summary>
public sealed class WebhookDelivery(WebhookNotifier notifier, SecretProtector secrets, PublicUrls urls, TimeProvider time)
{
    public Task<NotifierResult> SendAsync(NotificationTarget target, AlertGroup group, string type, string? rule, string? mention, int attempt,
        CancellationToken ct) => SendAsync(target, group, type, rule, mention, attempt, null, ct);

    /// <summary>As above; <paramref name="fallbackFor"/> (set for a fallback delivery) says why the primary did not deliver.</summary>
    public Task<NotifierResult> SendAsync(NotificationTarget target, AlertGroup group, string type, string? rule, string? mention, int attempt,
        string? fallbackFor, CancellationToken ct)
    {
        var url = secrets.Unprotect(TargetRegistry.UrlPurpose, target.UrlProtected!);
        var secret = secrets.Unprotect(TargetRegistry.SecretPurpose, target.SecretProtected!);
        var payload = new WebhookPayload(type,
            new WebhookGroup(group.Id, group.Title, Alerts.SeverityNames.ToApi(group.Severity), group.Status, group.Project, group.Environment,
                group.Count, urls.For($"/alerts/{group.Id}")),
            rule, mention, attempt, time.GetUtcNow().UtcDateTime)
        {
            Fallback = fallbackFor is null ? null : new WebhookFallback(fallbackFor),
        };
        return notifier.SendAsync(url, secret, payload, ct);
    }
}
