using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SignalCraft.Accounts;

/// <summary>
/// A workspace's settings as other features read them (through <see cref="WorkspaceSettingsStore.GetAsync"/>).
/// Later features add their settings here and to <c>PUT /api/workspace/settings</c>; there is never a second settings API.
/// </summary>
/// <param name="WorkspaceId">The workspace these settings belong to.</param>
/// <param name="DedupWindowMinutes">How long after a group resolves a new occurrence reopens it instead of opening a new group.</param>
/// <param name="EnvironmentAliases">Alias → canonical environment name, both lower-case (<c>prod → production</c>).</param>
/// <param name="AutoCloseMinutes">Groups quiet this long resolve as <c>autoClosed</c>; 0 turns auto-close off.</param>
/// <param name="UpdateIntervalSeconds">The least time between two updates of one Slack message.</param>
/// <param name="DeliverySloSeconds">A first notification later than this after the group opened counts as late.</param>
/// <param name="TimeZone">IANA time zone for schedules and for showing times when the viewer's own is unknown.</param>
public sealed record WorkspaceSettings(
    long WorkspaceId,
    int DedupWindowMinutes,
    IReadOnlyDictionary<string, string> EnvironmentAliases,
    int AutoCloseMinutes,
    int UpdateIntervalSeconds,
    int DeliverySloSeconds,
    string TimeZone)
{
    /// <summary>Where alerts no rule matches go (no target: recorded as unrouted, nothing sent).</summary>
    public DefaultRoute DefaultRoute { get; init; } = DefaultRoute.None;

    /// <summary>
    /// Where high and critical notifications also go when their primary target fails or stays silent (a
    /// NotificationTarget id); null when none is set.
    /// </summary>
    public long? FallbackTargetId { get; init; }

    /// <summary>How often the canary runs; null when the workspace has no canary.</summary>
    public int? CanaryIntervalMinutes { get; init; }

    /// <summary>The canary's target (a Slack channel's NotificationTarget id); null with an interval means the fallback target.</summary>
    public long? CanaryTargetId { get; init; }

    /// <summary>Where the canary goes now: its own target, else the fallback; null when off or nowhere to go.</summary>
    public long? CanaryDestinationId => CanaryIntervalMinutes is null ? null : CanaryTargetId ?? FallbackTargetId;

    public const int DefaultDedupWindowMinutes = 60;
    public const int DefaultAutoCloseMinutes = 240;
    public const int DefaultUpdateIntervalSeconds = 30;
    public const int DefaultDeliverySloSeconds = 60;
    public const string DefaultTimeZone = "UTC";

    public static IReadOnlyDictionary<string, string> DefaultEnvironmentAliases { get; } =
        new Dictionary<string, string> { ["prod"] = "production" };

    public static WorkspaceSettings Defaults(long workspaceId) => new(workspaceId, DefaultDedupWindowMinutes,
        DefaultEnvironmentAliases, DefaultAutoCloseMinutes, DefaultUpdateIntervalSeconds, DefaultDeliverySloSeconds, DefaultTimeZone);

    public TimeSpan DedupWindow => TimeSpan.FromMinutes(DedupWindowMinutes);

    /// <summary>Null when auto-close is off.</summary>
    public TimeSpan? AutoCloseAfter => AutoCloseMinutes == 0 ? null : TimeSpan.FromMinutes(AutoCloseMinutes);

    public TimeSpan UpdateInterval => TimeSpan.FromSeconds(UpdateIntervalSeconds);

    public TimeSpan DeliverySlo => TimeSpan.FromSeconds(DeliverySloSeconds);

    public TimeZoneInfo TimeZoneInfo => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>
    /// The canonical name of an environment as sent by a source: trimmed, lower-case, aliases applied
    /// (<c>" Prod "</c> → <c>"production"</c>). Empty when the payload had none.
    /// </summary>
    public string CanonicalEnvironment(string? environment)
    {
        var key = WorkspaceSettingsRules.NormalizeEnvironment(environment);
        return EnvironmentAliases.TryGetValue(key, out var canonical) ? canonical : key;
    }
}

/// <summary>The default route: target ids (see Notify's NotificationTarget) and the mention, in the one grammar.</summary>
public sealed record DefaultRoute(IReadOnlyList<long> TargetIds, string Mention)
{
    public static readonly DefaultRoute None = new([], "auto");
}

/// <summary>The stored form: one row per workspace, created with the workspace.</summary>
public sealed class WorkspaceSettingsRow : IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public int DedupWindowMinutes { get; set; } = WorkspaceSettings.DefaultDedupWindowMinutes;

    /// <summary>JSON object alias → canonical name.</summary>
    public string EnvironmentAliases { get; set; } = """{"prod":"production"}""";

    public int AutoCloseMinutes { get; set; } = WorkspaceSettings.DefaultAutoCloseMinutes;
    public int UpdateIntervalSeconds { get; set; } = WorkspaceSettings.DefaultUpdateIntervalSeconds;
    public int DeliverySloSeconds { get; set; } = WorkspaceSettings.DefaultDeliverySloSeconds;
    public string TimeZone { get; set; } = WorkspaceSettings.DefaultTimeZone;

    /// <summary>JSON of <see cref="DefaultRoute"/>.</summary>
    public string? DefaultRouteJson { get; set; }

    /// <summary>No foreign key on purpose: an id whose target is gone reads as "no fallback" (and an added one makes SQLite rebuild the table).</summary>
    public long? FallbackTargetId { get; set; }

    public int? CanaryIntervalMinutes { get; set; }

    /// <summary>No foreign key, like the fallback's; null with an interval means "the fallback target".</summary>
    public long? CanaryTargetId { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class WorkspaceSettingsRowConfiguration : IEntityTypeConfiguration<WorkspaceSettingsRow>
{
    public void Configure(EntityTypeBuilder<WorkspaceSettingsRow> builder)
    {
        builder.ToTable("workspace_settings");
        builder.HasKey(s => s.WorkspaceId);
        builder.Property(s => s.WorkspaceId).ValueGeneratedNever();
        builder.Property(s => s.EnvironmentAliases).HasMaxLength(8000);
        builder.Property(s => s.TimeZone).HasMaxLength(64);
        builder.HasOne<Workspace>().WithOne().HasForeignKey<WorkspaceSettingsRow>(s => s.WorkspaceId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
