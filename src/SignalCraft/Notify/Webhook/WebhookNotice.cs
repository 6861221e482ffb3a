using System.Text.Json.Serialization;

namespace SignalCraft.Notify.Webhook;

/// <summary>
/// A notice about SignalCraft's own delivery sent to a webhook fallback, e.g. Slack failing for too long:
/// <c>{type, notice: {text, team, since, reason, link}, sentAt}</c>. Its types never clash with the <c>group.*</c> ones.
/// </summary>
public sealed record WebhookNotice(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("notice")] WebhookNoticeBody Notice,
    [property: JsonPropertyName("sentAt")] DateTime SentAt);

/// <param name="Text">The whole notice in words, ready to show.</param>
/// <param name="Team">The Slack team whose delivery is failing.</param>
/// <param name="Since">When the failing began (UTC).</param>
/// <param name="Reason">What fails, in words.</param>
/// <param name="Link">Delivery Health, where the failure is shown and the connection can be fixed.</param>
public sealed record WebhookNoticeBody(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("team")] string Team,
    [property: JsonPropertyName("since")] DateTime Since,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("link")] string Link);

/// <summary>Notice types of the outgoing webhook.</summary>
public static class WebhookNoticeTypes
{
    public const string SlackDown = "signalcraft.slack_down";
    public const string SlackRecovered = "signalcraft.slack_recovered";
}
