using System.ComponentModel.DataAnnotations;

namespace SignalCraft.Health.Delivery;

/// <summary>Settings of Delivery Health (section <c>DeliveryHealth</c>).</summary>
public sealed class DeliveryHealthOptions
{
    public const string SectionName = "DeliveryHealth";

    /// <summary>How often each Slack connection's token is checked with <c>auth.test</c> (also checked after any auth error).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan TokenCheckInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far back discarded notifications are listed (with Retry) and keep their target red.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan DiscardedWindow { get; set; } = TimeSpan.FromDays(7);
}
