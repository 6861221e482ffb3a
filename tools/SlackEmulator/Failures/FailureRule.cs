namespace SlackEmulator.Failures;

/// <summary>How an injected failure answers.</summary>
internal enum FailureKind
{
    /// <summary>HTTP 429, Retry-After, body {"ok":false,"error":"ratelimited"}.</summary>
    RateLimited,

    /// <summary>HTTP 5xx with Slack's HTML error page, not JSON.</summary>
    HttpError,

    /// <summary>Hangs longer than the client waits (bounded), then answers 504 with HTML.</summary>
    Timeout,

    /// <summary>HTTP 200 {"ok":false,"error":code}.</summary>
    Error,
}

/// <summary>
/// One scripted failure: which calls it hits (method, optional team and channel) and for how long
/// (a number of calls and/or until an emulator-clock instant).
/// </summary>
internal sealed class FailureRule
{
    public required string Id { get; init; }
    public required string Method { get; init; }
    public required FailureKind Kind { get; init; }
    public string? TeamId { get; init; }
    public string? Channel { get; init; }
    public string ErrorCode { get; init; } = "fatal_error";
    public int Status { get; init; } = 500;
    public int RetryAfterSeconds { get; init; } = 1;
    public int HangSeconds { get; init; } = 30;

    /// <summary>
    /// Run the method before failing (the message IS stored), as Slack may after a partial success.
    /// Always true for fatal_error.
    /// </summary>
    public bool ApplyFirst { get; init; }

    public int? RemainingCount { get; set; }
    public DateTimeOffset? Until { get; init; }
    public int Hits { get; set; }

    public string Outcome => Kind switch
    {
        FailureKind.RateLimited => "ratelimited",
        FailureKind.HttpError => $"http_{Status}",
        FailureKind.Timeout => "timeout",
        _ => ErrorCode,
    };

    public bool IsLive(DateTimeOffset now) => (RemainingCount is null or > 0) && (Until is null || now < Until);

    public bool Matches(string method, string? teamId, string? channel) =>
        (Method == "*" || string.Equals(Method, method, StringComparison.Ordinal))
        && (TeamId is null || string.Equals(TeamId, teamId, StringComparison.Ordinal))
        && (Channel is null || string.Equals(Channel, channel, StringComparison.Ordinal));
}
