using SignalCraft.Alerts;

namespace SignalCraft.Notify.Webhook;

/// <summary>Outgoing webhooks: every notification is a POST of the frozen payload.</summary>
public sealed class WebhookTargetNotifier(WebhookDelivery delivery) : ITargetNotifier
{
    public string Kind => "webhook";

    /// <summary>
    /// <c>group.opened</c> once per group and target; a reopen or raise of a group this target already heard about is a
    /// <c>group.updated</c> (never a second "opened"), an escalation a <c>group.escalated</c>.
    /// </summary>
    public Task<NotifierResult> PostAsync(NotifyRequest request, CancellationToken ct) =>
        delivery.SendAsync(request.Target, request.Group,
            request.Reason == "escalation" ? WebhookEventTypes.Escalated
            : request.Existing is null ? WebhookEventTypes.Opened : WebhookEventTypes.Updated,
            request.RuleName, request.Mention, request.Attempt, request.FallbackFor, ct);

    public Task<NotifierResult> UpdateAsync(NotifyRequest request, CancellationToken ct) =>
        delivery.SendAsync(request.Target, request.Group,
            request.Group.Status == GroupStatus.Resolved ? WebhookEventTypes.Resolved : WebhookEventTypes.Updated,
            request.RuleName, request.Mention, request.Attempt, ct);
}
