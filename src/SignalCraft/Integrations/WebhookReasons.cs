namespace SignalCraft.Integrations;

/// <summary>Outcome reasons counted per integration (stored; rename nothing).</summary>
public static class WebhookReasons
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Quarantined = "quarantined";
    public const string UnknownKey = "unknown_key";
    public const string Disabled = "disabled";
    public const string TooLarge = "too_large";
    public const string MissingSignature = "missing_signature";
    public const string BadSignature = "bad_signature";
    public const string StaleTimestamp = "stale_timestamp";
    public const string NoClientSecret = "no_client_secret";
    public const string WrongMode = "wrong_mode";
    public const string RateLimited = "rate_limited";
    public const string DatabaseUnavailable = "database_unavailable";

    /// <summary>Reasons that mean the webhook was taken in.</summary>
    public static bool IsAccepted(string reason) => reason is Accepted or Duplicate or Quarantined;
}
