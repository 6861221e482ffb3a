namespace SignalCraft.Alerts;

/// <summary>Severity of a group, highest first. API values: critical | high | med | low | info.</summary>
public enum Severity
{
    Critical = 0,
    High = 1,
    Med = 2,
    Low = 3,
    Info = 4,
}

/// <summary>API names and ordering helpers for <see cref="Severity"/>.</summary>
public static class SeverityNames
{
    public static string ToApi(this Severity severity) => severity switch
    {
        Severity.Critical => "critical",
        Severity.High => "high",
        Severity.Med => "med",
        Severity.Low => "low",
        _ => "info",
    };

    public static bool TryParse(string? value, out Severity severity)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "critical": severity = Severity.Critical; return true;
            case "high": severity = Severity.High; return true;
            case "med" or "medium": severity = Severity.Med; return true;
            case "low": severity = Severity.Low; return true;
            case "info": severity = Severity.Info; return true;
            default: severity = Severity.Info; return false;
        }
    }

    /// <summary>True when <paramref name="severity"/> is at least as severe as <paramref name="minimum"/>.</summary>
    public static bool AtLeast(this Severity severity, Severity minimum) => severity <= minimum;

    /// <summary>One level more severe, saturating at critical.</summary>
    public static Severity Raised(this Severity severity) => severity == Severity.Critical ? severity : severity - 1;
}
