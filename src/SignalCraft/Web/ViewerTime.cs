using System.Globalization;
using SignalCraft.Accounts;

namespace SignalCraft.Web;

/// <summary>
/// Shows instants in the viewer's time zone: the one their browser reported (a cookie set by app.js), else the
/// workspace's <c>timeZone</c> setting, else UTC. Scoped; pages call <see cref="InitAsync"/> before rendering times.
/// </summary>
public sealed class ViewerTime(IHttpContextAccessor http, CurrentWorkspace current, WorkspaceSettingsStore settings, TimeProvider time)
{
    /// <summary>The cookie app.js writes with <c>Intl.DateTimeFormat().resolvedOptions().timeZone</c>.</summary>
    public const string ZoneCookie = "signalcraft.tz";

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>Where the zone came from, for the page footer ("your browser", "workspace setting").</summary>
    public string ZoneSource { get; private set; } = "default";

    public DateTime NowUtc => time.GetUtcNow().UtcDateTime;

    public async Task InitAsync(CancellationToken ct)
    {
        if (http.HttpContext?.Request.Cookies[ZoneCookie] is { Length: > 0 and < 64 } browser && TryFind(browser, out var zone))
        {
            (Zone, ZoneSource) = (zone, "your browser");
            return;
        }
        if (current.IsResolved && TryFind((await settings.GetAsync(current.WorkspaceId, ct)).TimeZone, out var workspaceZone))
        {
            (Zone, ZoneSource) = (workspaceZone, "workspace setting");
        }
    }

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>Short: "14:05" today, "3 Nov 14:05" this year, else with the year.</summary>
    public string Short(DateTime utc)
    {
        var local = ToLocal(utc);
        var today = ToLocal(NowUtc).Date;
        var format = local.Date == today ? "HH:mm" : local.Year == today.Year ? "d MMM HH:mm" : "d MMM yyyy HH:mm";
        return local.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>Full, with seconds and the zone: "2026-11-03 14:05:09 Europe/Paris".</summary>
    public string Full(DateTime utc) =>
        ToLocal(utc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + Zone.Id;

    /// <summary>"3 min ago", "in 2 h".</summary>
    public string Relative(DateTime utc)
    {
        var delta = NowUtc - utc;
        var future = delta < TimeSpan.Zero;
        var span = future ? -delta : delta;
        var text = span.TotalSeconds < 60 ? $"{(int)span.TotalSeconds} s"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes} min"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours} h"
            : $"{(int)span.TotalDays} d";
        return future ? "in " + text : text + " ago";
    }

    private static bool TryFind(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
