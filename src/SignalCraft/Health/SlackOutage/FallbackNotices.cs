using SignalCraft.Integrations.Slack;
using SignalCraft.Notify;
using SignalCraft.Notify.Webhook;
using SignalCraft.Secrets;

namespace SignalCraft.Health.SlackOutage;

/// <summary>A notice about SignalCraft's own delivery, for a fallback target.</summary>
/// <param name="Type">One of <see cref="WebhookNoticeTypes"/>.</param>
public sealed record FallbackNotice(string Type, string Text, string Team, DateTime Since, string? Reason, string Link);

/// <summary>
/// Sends a <see cref="FallbackNotice"/> to the workspace's fallback target: a signed webhook
/// (<see cref="WebhookNotice"/>), or a plain message in a Slack channel of another connection. No group is involved, so
/// nothing here enters the inbox or the outcome figures.
/// </summary>
public sealed class FallbackNotices(WebhookNotifier webhooks, SecretProtector secrets, SlackTokens tokens, Notify.Slack.SlackApiClient slack,
    TimeProvider time)
{
    public async Task<NotifierResult> SendAsync(NotificationTarget target, FallbackNotice notice, CancellationToken ct)
    {
        if (target.Kind == "webhook")
        {
            var url = secrets.Unprotect(TargetRegistry.UrlPurpose, target.UrlProtected!);
            var secret = secrets.Unprotect(TargetRegistry.SecretPurpose, target.SecretProtected!);
            var body = new WebhookNoticeBody(notice.Text, notice.Team, notice.Since, notice.Reason, notice.Link);
            return await webhooks.SendAsync(url, secret, new WebhookNotice(notice.Type, body, time.GetUtcNow().UtcDateTime), ct);
        }
        var connection = await tokens.FindAsync(target.ConnectionId, ct);
        var token = connection is null ? null : await tokens.GetAsync(connection, false, ct);
        if (token is null)
        {
            return NotifierResult.Failed(FailureCategory.Auth, "the fallback's Slack connection has no working token");
        }
        var call = await slack.PostJsonAsync("chat.postMessage", token, new { channel = target.Channel, text = notice.Text, unfurl_links = false }, ct);
        return call.Ok ? NotifierResult.Sent(call.String("ts")) : NotifierResult.Failed(FailureCategory.Transient, call.Describe());
    }
}
