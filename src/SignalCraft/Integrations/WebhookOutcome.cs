using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Data;

namespace SignalCraft.Integrations;

/// <summary>
/// Per-integration, per-reason, per-minute count of webhook outcomes (accepted, duplicate, bad_signature …) for
/// Delivery Health. Requests with an unknown key are counted under integration id 0 (a global counter).
/// </summary>
public sealed class WebhookOutcome
{
    public long Id { get; set; }
    public long IntegrationId { get; set; }
    public DateTime Minute { get; set; }
    public required string Reason { get; set; }
    public int Count { get; set; }
}

internal sealed class WebhookOutcomeConfiguration : IEntityTypeConfiguration<WebhookOutcome>
{
    public void Configure(EntityTypeBuilder<WebhookOutcome> builder)
    {
        builder.ToTable("webhook_outcomes");
        builder.Property(o => o.Reason).HasMaxLength(64);
        builder.HasIndex(o => new { o.IntegrationId, o.Minute, o.Reason }).IsUnique();
        builder.WithSnakeCaseColumns();
    }
}
