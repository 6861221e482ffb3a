namespace SignalCraft.Alerts;

/// <summary>Sources SignalCraft itself writes alerts under.</summary>
public static class SyntheticSources
{
    /// <summary>
    /// The canary's synthetic alerts. A named query filter (<see cref="CanaryFilter"/>) keeps their groups and events out of
    /// every user-facing read (inbox, outcome and noise figures); jobs read past filters and deliver them like any other.
    /// </summary>
    public const string Canary = "signalcraft-canary";

    /// <summary>The name of that filter, for the rare read that wants canaries too.</summary>
    public const string CanaryFilter = "canary";
}
