using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using SignalCraft.Data;

namespace SignalCraft.Accounts;

/// <summary>
/// Reads and writes workspace settings. Other features call <see cref="GetAsync"/> with an explicit workspace id (jobs
/// and webhook ingest have no current workspace); it is one primary-key read and answers defaults for a missing row.
/// </summary>
public sealed class WorkspaceSettingsStore(SignalCraftDbContext db, TimeProvider time, IMemoryCache cache)
{
    // Every webhook reads its workspace's settings inside the ingest transaction; a two-second cache keeps that
    // read off the hot path. Writes through this instance evict at once; other instances see a change within it.
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private static string CacheKey(long workspaceId) => $"workspace-settings:{workspaceId}";

    /// <summary>The settings of <paramref name="workspaceId"/>.</summary>
    public async Task<WorkspaceSettings> GetAsync(long workspaceId, CancellationToken ct)
    {
        if (cache.TryGetValue(CacheKey(workspaceId), out WorkspaceSettings? cached) && cached is not null)
        {
            return cached;
        }
        var settings = await ReadAsync(workspaceId, ct);
        cache.Set(CacheKey(workspaceId), settings, CacheFor);
        return settings;
    }

    private async Task<WorkspaceSettings> ReadAsync(long workspaceId, CancellationToken ct)
    {
        var row = await db.Set<WorkspaceSettingsRow>().IgnoreQueryFilters([WorkspaceFilter.Name]).AsNoTracking()
            .SingleOrDefaultAsync(s => s.WorkspaceId == workspaceId, ct);
        return row is null ? WorkspaceSettings.Defaults(workspaceId) : ToSettings(row);
    }

    /// <summary>Applies the fields present in <paramref name="update"/> (already validated); absent fields keep their value.</summary>
    internal async Task<WorkspaceSettings> UpdateAsync(long workspaceId, UpdateWorkspaceSettingsRequest update, DefaultRoute? defaultRoute,
        CancellationToken ct, long? fallbackTargetId = null, long? canaryTargetId = null)
    {
        var row = await db.Set<WorkspaceSettingsRow>().IgnoreQueryFilters([WorkspaceFilter.Name])
            .SingleOrDefaultAsync(s => s.WorkspaceId == workspaceId, ct);
        if (row is null)
        {
            row = new WorkspaceSettingsRow { WorkspaceId = workspaceId };
            db.Add(row);
        }
        row.DedupWindowMinutes = update.DedupWindowMinutes ?? row.DedupWindowMinutes;
        row.AutoCloseMinutes = update.AutoCloseMinutes ?? row.AutoCloseMinutes;
        row.UpdateIntervalSeconds = update.UpdateIntervalSeconds ?? row.UpdateIntervalSeconds;
        row.DeliverySloSeconds = update.DeliverySloSeconds ?? row.DeliverySloSeconds;
        row.TimeZone = update.TimeZone ?? row.TimeZone;
        if (defaultRoute is not null)
        {
            row.DefaultRouteJson = JsonSerializer.Serialize(defaultRoute, JsonSerializerOptions.Web);
        }
        if (update.Fallback is not null)
        {
            row.FallbackTargetId = fallbackTargetId;
        }
        else if (update.ClearFallback == true)
        {
            row.FallbackTargetId = null;
        }
        if (update.Canary is { } canary)
        {
            row.CanaryIntervalMinutes = canary.IntervalMinutes ?? row.CanaryIntervalMinutes ?? CanaryInput.DefaultIntervalMinutes;
            if (canary.Target is not null || canary.UseFallback == true)
            {
                row.CanaryTargetId = canaryTargetId; // null: the fallback
            }
        }
        else if (update.ClearCanary == true)
        {
            row.CanaryIntervalMinutes = null;
            row.CanaryTargetId = null;
        }
        if (update.EnvironmentAliases is { } aliases)
        {
            row.EnvironmentAliases = JsonSerializer.Serialize(WorkspaceSettingsRules.NormalizeAliases(aliases));
        }
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        cache.Remove(CacheKey(workspaceId));
        return ToSettings(row);
    }

    /// <summary>The row a new workspace starts with (every default).</summary>
    internal static WorkspaceSettingsRow NewRow(long workspaceId, DateTime now) => new() { WorkspaceId = workspaceId, UpdatedAt = now };

    private static WorkspaceSettings ToSettings(WorkspaceSettingsRow row) => new(
        row.WorkspaceId,
        row.DedupWindowMinutes,
        JsonSerializer.Deserialize<Dictionary<string, string>>(row.EnvironmentAliases) ?? [],
        row.AutoCloseMinutes,
        row.UpdateIntervalSeconds,
        row.DeliverySloSeconds,
        row.TimeZone)
    {
        DefaultRoute = row.DefaultRouteJson is null ? DefaultRoute.None
            : JsonSerializer.Deserialize<DefaultRoute>(row.DefaultRouteJson, JsonSerializerOptions.Web) ?? DefaultRoute.None,
        FallbackTargetId = row.FallbackTargetId,
        CanaryIntervalMinutes = row.CanaryIntervalMinutes,
        CanaryTargetId = row.CanaryTargetId,
    };
}

/// <summary>
/// <c>PUT /api/workspace/settings</c>: any subset of the settings; omitted fields keep their value, so a script that
/// only knows some settings never resets the others.
/// </summary>
public sealed record UpdateWorkspaceSettingsRequest(
    [Range(1, 10080, ErrorMessage = "dedupWindowMinutes must be between 1 and 10080 (7 days).")]
    int? DedupWindowMinutes,
    Dictionary<string, string>? EnvironmentAliases,
    [Range(0, 43200, ErrorMessage = "autoCloseMinutes must be between 0 (never auto-close) and 43200 (30 days).")]
    int? AutoCloseMinutes,
    [Range(5, 3600, ErrorMessage = "updateIntervalSeconds must be between 5 and 3600.")]
    int? UpdateIntervalSeconds,
    [Range(5, 3600, ErrorMessage = "deliverySloSeconds must be between 5 and 3600.")]
    int? DeliverySloSeconds,
    string? TimeZone,
    DefaultRouteInput? DefaultRoute = null,
    Routing.TargetSpec? Fallback = null,
    bool? ClearFallback = null,
    CanaryInput? Canary = null,
    bool? ClearCanary = null) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TimeZone is not null && !WorkspaceSettingsRules.IsIanaTimeZone(TimeZone))
        {
            yield return new ValidationResult(
                $"timeZone must be an IANA time zone name such as \"Europe/Berlin\" or \"UTC\" (got \"{TimeZone}\").", ["timeZone"]);
        }
        if (Fallback is not null && ClearFallback == true)
        {
            yield return new ValidationResult("Send either fallback (to set it) or clearFallback: true (to remove it), not both.", ["fallback"]);
        }
        if (Canary is not null && ClearCanary == true)
        {
            yield return new ValidationResult("Send either canary (to set it) or clearCanary: true (to turn it off), not both.", ["canary"]);
        }
        if (Canary is { } canary)
        {
            foreach (var result in canary.Validate())
            {
                yield return result;
            }
        }
        if (DefaultRoute?.Mention is { } mention && !Routing.Mention.TryParse(mention, out _))
        {
            yield return new ValidationResult(Routing.Mention.Grammar, ["defaultRoute.mention"]);
        }
        if (EnvironmentAliases is not null)
        {
            foreach (var message in WorkspaceSettingsRules.CheckAliases(EnvironmentAliases))
            {
                yield return new ValidationResult(message, ["environmentAliases"]);
            }
        }
    }
}

/// <summary>
/// The canary as the settings API takes it: how often, and where — a Slack channel of the workspace (<c>target</c>, as in
/// rules) or the workspace's fallback (<c>useFallback: true</c>). Omitted parts keep their value.
/// </summary>
public sealed record CanaryInput(int? IntervalMinutes, Routing.TargetSpec? Target, bool? UseFallback)
{
    public const int DefaultIntervalMinutes = 15;

    public const string NeedsTarget = "The canary needs a target: a Slack channel (canary.target), or canary.useFallback: true with a fallback set.";

    /// <summary>A canary to the fallback (asked for now, or kept from before) while the workspace has, or will have, none.</summary>
    public static bool LacksTarget(WorkspaceSettings before, UpdateWorkspaceSettingsRequest request)
    {
        if (request.Canary is not { } canary)
        {
            return false;
        }
        var toFallback = canary.UseFallback == true || (canary.Target is null && (before.CanaryIntervalMinutes is null || before.CanaryTargetId is null));
        var fallbackAfter = request.Fallback is not null || (request.ClearFallback != true && before.FallbackTargetId is not null);
        return toFallback && !fallbackAfter;
    }

    public IEnumerable<ValidationResult> Validate()
    {
        if (IntervalMinutes is < 5 or > 1440)
        {
            yield return new ValidationResult("canary.intervalMinutes must be between 5 and 1440 (a day).", ["canary.intervalMinutes"]);
        }
        if (Target is not null && UseFallback == true)
        {
            yield return new ValidationResult("Send either canary.target (a Slack channel) or canary.useFallback: true, not both.", ["canary.target"]);
        }
        if (Target is { Kind: not "slack" })
        {
            yield return new ValidationResult("canary.target must be a Slack channel ({\"kind\": \"slack\", \"channel\": \"#canary\"}); "
                + "to check a webhook, make it the fallback and send canary.useFallback: true.", ["canary.target"]);
        }
    }
}

/// <summary>The canary as the settings API shows it: null target with <c>useFallback</c> when it goes to the fallback.</summary>
public sealed record CanaryView(int IntervalMinutes, bool UseFallback, Routing.TargetSpec? Target);

/// <summary>The default route as the settings API takes it: targets named inline (as in rules) and a mention.</summary>
public sealed record DefaultRouteInput(IReadOnlyList<Routing.TargetSpec>? Targets, string? Mention);

/// <summary>The default route as the settings API shows it: targets described (ids, masked URLs, health).</summary>
public sealed record DefaultRouteView(IReadOnlyList<Routing.TargetSpec> Targets, string Mention);

/// <summary>The settings API's response: the same fields it accepts.</summary>
internal sealed record WorkspaceSettingsResponse(
    int DedupWindowMinutes,
    IReadOnlyDictionary<string, string> EnvironmentAliases,
    int AutoCloseMinutes,
    int UpdateIntervalSeconds,
    int DeliverySloSeconds,
    string TimeZone,
    DefaultRouteView DefaultRoute,
    Routing.TargetSpec? Fallback,
    string? FallbackWarning,
    CanaryView? Canary = null)
{
    public static WorkspaceSettingsResponse From(WorkspaceSettings s, IReadOnlyList<Routing.TargetSpec> defaultTargets,
        Routing.TargetSpec? fallback = null, string? fallbackWarning = null, CanaryView? canary = null) => new(
        s.DedupWindowMinutes, s.EnvironmentAliases, s.AutoCloseMinutes, s.UpdateIntervalSeconds, s.DeliverySloSeconds, s.TimeZone,
        new DefaultRouteView(defaultTargets, s.DefaultRoute.Mention), fallback, fallbackWarning, canary);
}
