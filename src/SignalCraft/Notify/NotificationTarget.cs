using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Notify;

/// <summary>
/// One distinct place notifications go (a Slack channel on a connection, or an outgoing webhook), kept by the server
/// so health, "broken", Retry and the fallback have an id. Rules name targets inline and get this id back.
/// </summary>
public sealed class NotificationTarget : IWorkspaceOwned
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }

    /// <summary><c>slack</c> or <c>webhook</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>What makes it distinct: <c>slack:{connection}:{channel}</c> or <c>webhook:{sha256 of the URL}</c>.</summary>
    public required string Identity { get; set; }

    public long? ConnectionId { get; set; }
    public string? Channel { get; set; }
    public string? UrlProtected { get; set; }
    public string? UrlMasked { get; set; }

    /// <summary>The per-target HMAC secret for webhook signatures, encrypted.</summary>
    public string? SecretProtected { get; set; }

    /// <summary><c>ok</c>, <c>broken</c> (permanent failure: needs a person) or <c>unknown</c> (never delivered).</summary>
    public string Status { get; set; } = TargetStatus.Unknown;
    public string? LastError { get; set; }
    public DateTime? LastSuccessAt { get; set; }
    public DateTime? LastFailureAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class TargetStatus
{
    public const string Unknown = "unknown";
    public const string Ok = "ok";
    public const string Broken = "broken";
}

internal sealed class NotificationTargetConfiguration : IEntityTypeConfiguration<NotificationTarget>
{
    public void Configure(EntityTypeBuilder<NotificationTarget> builder)
    {
        builder.ToTable("notification_targets");
        builder.Property(t => t.Kind).HasMaxLength(16);
        builder.Property(t => t.Identity).HasMaxLength(300);
        builder.Property(t => t.Status).HasMaxLength(16);
        builder.Property(t => t.LastError).HasMaxLength(1000);
        builder.HasIndex(t => new { t.WorkspaceId, t.Identity }).IsUnique();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.WithSnakeCaseColumns();
    }
}
