namespace SignalCraft.Notify;

/// <summary>Bound from <c>Notify</c>.</summary>
public sealed class NotifyOptions
{
    public const string SectionName = "Notify";

    /// <summary>
    /// Allow webhook targets on loopback, private and link-local addresses (<c>Notify__AllowPrivateTargets</c>).
    /// Off by default: a rule must not be a way to reach the internal network.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Timeout of one outgoing webhook request.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a high or critical notification may stay undelivered to its primary while retries go on before the
    /// workspace's fallback is told too (<c>Notify__FallbackAfter</c>). Must be below the least delivery SLO, or a
    /// fallback would always come too late to count.
    /// </summary>
    public TimeSpan FallbackAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How often a notification parked by its Slack connection's auth failure looks again (<c>Notify__ParkedRecheck</c>).
    /// Reconnecting Slack wakes parked notifications at once; this is only the safety net.
    /// </summary>
    public TimeSpan ParkedRecheck { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a Slack connection's delivery may fail (token refused, or sends failing with 5xx or timeouts) before the
    /// workspace's fallback target gets one notice about it (<c>Notify__SlackDownNoticeAfter</c>); once per outage.
    /// </summary>
    public TimeSpan SlackDownNoticeAfter { get; set; } = TimeSpan.FromMinutes(5);
}
