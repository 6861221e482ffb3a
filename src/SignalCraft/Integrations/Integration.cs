using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Integrations;

/// <summary>
/// A source of alerts (a Sentry organization's webhook). The URL key is a credential: only its SHA-256 is used for
/// lookup, and the key itself is kept encrypted so the webhook URL can be shown again to admins.
/// </summary>
public sealed class Integration : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public required string Type { get; set; }
    public required string Name { get; set; }

    /// <summary><c>signed</c> (Integration Platform, HMAC-verified) or <c>legacy</c> (WebHooks plugin; the key is the credential).</summary>
    public required string Mode { get; set; }

    public required string KeyHash { get; set; }
    public required string KeyProtected { get; set; }
    public string? ClientSecretProtected { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>How often this source should be heard from; heartbeats and staleness use it.</summary>
    public int? ExpectedIntervalMinutes { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? LastWebhookAt { get; set; }
    public DateTime? LastRejectionAt { get; set; }
    public string? LastRejectionReason { get; set; }

    /// <summary>Quarantined bodies dropped because the per-integration cap was reached.</summary>
    public int QuarantineDropped { get; set; }
}

internal sealed class IntegrationConfiguration : IEntityTypeConfiguration<Integration>
{
    public void Configure(EntityTypeBuilder<Integration> builder)
    {
        builder.ToTable("integrations");
        builder.Property(i => i.Type).HasMaxLength(32);
        builder.Property(i => i.Name).HasMaxLength(200);
        builder.Property(i => i.Mode).HasMaxLength(16);
        builder.Property(i => i.KeyHash).HasMaxLength(64);
        builder.HasIndex(i => i.KeyHash).IsUnique();
        builder.HasIndex(i => i.WorkspaceId);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.WithSnakeCaseColumns();
    }
}
