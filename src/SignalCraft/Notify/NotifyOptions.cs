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
}
