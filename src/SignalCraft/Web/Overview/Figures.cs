using System.Globalization;

namespace SignalCraft.Web.Overview;

/// <summary>How the Overview writes its figures: a dash for "not measured yet", never a misleading zero.</summary>
public static class Figures
{
    public const string None = "—";

    public static string Percent(double? ratio) =>
        ratio is { } r ? (r * 100).ToString(r * 100 is >= 10 or 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + "%" : None;

    public static string Number(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : None;

    /// <summary>"45 s", "4 min 10 s", "2 h 5 min", "3 d 4 h".</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s)
        {
            return None;
        }
        var t = TimeSpan.FromSeconds(Math.Round(s));
        return t.TotalSeconds < 60 ? $"{(int)t.TotalSeconds} s"
            : t.TotalMinutes < 60 ? (t.Seconds == 0 ? $"{(int)t.TotalMinutes} min" : $"{(int)t.TotalMinutes} min {t.Seconds} s")
            : t.TotalHours < 48 ? (t.Minutes == 0 ? $"{(int)t.TotalHours} h" : $"{(int)t.TotalHours} h {t.Minutes} min")
            : $"{(int)t.TotalDays} d {t.Hours} h";
    }
}
