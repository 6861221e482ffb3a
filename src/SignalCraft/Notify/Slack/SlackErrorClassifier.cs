namespace SignalCraft.Notify.Slack;

/// <summary>
/// Maps a Web API outcome to a <see cref="NotifierResult"/> (reference §8). Unknown codes count as transient. Reasons
/// carry the method and Slack's error code, never a token.
/// </summary>
public static class SlackErrorClassifier
{
    /// <summary>Errors meaning the token no longer works: the connection turns unhealthy.</summary>
    public static readonly HashSet<string> AuthErrors = ["not_authed", "invalid_auth", "token_revoked", "account_inactive", "token_expired"];

    /// <summary>Errors meaning this channel cannot be posted to: the target turns broken.</summary>
    private static readonly HashSet<string> TargetErrors =
    [
        "channel_not_found", "is_archived", "is_inactive", "not_in_channel", "method_not_supported_for_channel_type",
        "restricted_action", "restricted_action_read_only_channel", "restricted_action_thread_only_channel",
        "restricted_action_non_threadable_channel", "ekm_access_denied", "team_access_not_granted", "access_denied",
        "message_limit_exceeded", "missing_scope",
    ];

    /// <summary>Server-side failures after which the message may or may not exist.</summary>
    private static readonly HashSet<string> AmbiguousErrors = ["fatal_error", "internal_error", "service_unavailable", "request_timeout"];

    private static readonly HashSet<string> PayloadErrors =
    [
        "no_text", "invalid_blocks", "invalid_blocks_format", "msg_too_long", "msg_blocks_too_long", "too_many_attachments",
        "invalid_metadata_format", "metadata_too_large", "message_not_found", "cant_update_message", "edit_window_closed",
    ];

    /// <summary>Whether a <c>chat.postMessage</c> that ended like this may have stored the message anyway.</summary>
    public static bool IsAmbiguous(SlackCall call) =>
        call.Transport != SlackTransport.Answered
        || (call.HttpStatus >= 500 && !call.RateLimited)
        || (call.Error is { } error && AmbiguousErrors.Contains(error));

    public static NotifierResult Classify(SlackCall call)
    {
        if (call.Ok)
        {
            return NotifierResult.Sent(call.String("ts"));
        }
        var reason = call.Describe();
        if (call.RateLimited)
        {
            // 429 names its wait; rate_limited ("posted too many messages") does not, so back off a while.
            return NotifierResult.Failed(FailureCategory.RateLimited, reason,
                call.RetryAfter ?? (call.HttpStatus == 429 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(30)));
        }
        if (IsAmbiguous(call))
        {
            return NotifierResult.Failed(call.HttpStatus == 503 ? FailureCategory.ServiceUnavailable : FailureCategory.Transient, reason);
        }
        return call.Error switch
        {
            { } e when AuthErrors.Contains(e) => NotifierResult.Failed(FailureCategory.Auth, reason),
            { } e when TargetErrors.Contains(e) => NotifierResult.Failed(FailureCategory.Config, reason),
            { } e when PayloadErrors.Contains(e) => NotifierResult.Failed(FailureCategory.Permanent, reason),
            _ when call.HttpStatus is >= 400 and < 500 && call.Error is null => NotifierResult.Failed(FailureCategory.Permanent, reason),
            _ => NotifierResult.Failed(FailureCategory.Transient, reason),
        };
    }
}
