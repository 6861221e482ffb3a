namespace SignalCraft.Notify;

/// <summary>Why a delivery failed; decides whether it is retried.</summary>
public enum FailureCategory
{
    RateLimited,
    Transient,
    ServiceUnavailable,
    Auth,
    Config,
    Permanent,
}

/// <summary>A notifier's classified answer: notifiers return this instead of throwing.</summary>
public sealed record NotifierResult(bool Success, FailureCategory? Category, string? Reason, TimeSpan? RetryAfter, string? MessageRef)
{
    /// <summary>Sent without being able to rule out an earlier copy (an ambiguous attempt whose check was not possible).</summary>
    public bool PossibleDuplicate { get; init; }

    public static NotifierResult Sent(string? messageRef = null) => new(true, null, null, null, messageRef);

    public static NotifierResult Failed(FailureCategory category, string reason, TimeSpan? retryAfter = null) =>
        new(false, category, reason, retryAfter, null);

    /// <summary>RateLimited, Transient and ServiceUnavailable retry; Auth, Config and Permanent need a person.</summary>
    public bool Retryable => Category is FailureCategory.RateLimited or FailureCategory.Transient or FailureCategory.ServiceUnavailable;
}
