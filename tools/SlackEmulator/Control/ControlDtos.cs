using System.Text.Json;

namespace SlackEmulator.Control;

// Request and response bodies of the control API (JSON, camelCase). Absent fields keep defaults.

internal sealed record CreateTeamRequest(string? Id, string? Name, string? Domain);

internal sealed record CreateChannelRequest(string? Id, string? Name, bool IsPrivate = false, bool IsArchived = false, string[]? Members = null);

internal sealed record UpdateChannelRequest(bool? IsArchived, string[]? AddMembers, string[]? RemoveMembers, string? Name);

internal sealed record CreateUserRequest(string? Id, string? Name, string? RealName, string? Email);

internal sealed record InstallRequest(string? AppId, string[]? Scopes, string? Token, int? ExpiresInSeconds, string[]? JoinChannels);

internal sealed record InstallResponse(string Token, string TeamId, string AppId, string BotUserId, string? BotId, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt);

internal sealed record InteractivityRequest(string? RequestUrl, string? SigningSecret);

internal sealed record AppRequest(
    string? Name, string? ClientId, string? ClientSecret, string? SigningSecret, string? VerificationToken,
    string? RequestUrl, string[]? RedirectUrls, bool? RotationEnabled, bool? AutoApprove);

internal sealed record RevokeRequest(string? Token, string? Error);

internal sealed record FailureRequest(
    string? Method, string? Kind, string? Error, int? Count, double? DurationSeconds, int? RetryAfter,
    int? Status, int? HangSeconds, bool? Apply, string? TeamId, string? Channel);

internal sealed record RateLimitRequest(
    bool? Enabled, double? PostsPerSecond, int? PostBurst, int? Tier2PerMinute, int? Tier3PerMinute, int? Tier4PerMinute, bool? LowHistoryLimit);

internal sealed record BehaviorRequest(bool? RejectUnknownThreadTs);

internal sealed record ClockRequest(DateTimeOffset? Now, bool? Frozen);

internal sealed record AdvanceRequest(double? Seconds, double? Milliseconds);

internal sealed record ClockResponse(DateTimeOffset Now, long UnixSeconds, string Ts, bool Frozen);

internal sealed record ResetRequest(bool? Seed);

internal sealed record ClickApiRequest(
    string? TeamId, string? Channel, string? Ts, string? ActionId, string? BlockId, string? UserId, string? SelectedValue, string? Sabotage);

internal sealed record ClickApiResponse(
    int? Status, string? Error, double LatencyMs, bool Slow, string RequestUrl, string Timestamp, string Signature,
    string? ResponseUrl, JsonElement? Payload, string? ResponseBody);

internal sealed record MessageView(
    string Team, string Channel, string Ts, string? ThreadTs, bool ReplyBroadcast, string User, string? BotId, string? AppId,
    string Text, JsonElement? Blocks, JsonElement? Attachments, JsonElement? Metadata, EditedView? Edited,
    IReadOnlyList<VersionView> History, IReadOnlyList<string> Replies, bool Deleted, bool Ephemeral, string? VisibleTo, DateTimeOffset PostedAt);

internal sealed record EditedView(string User, string Ts);

internal sealed record VersionView(string Text, JsonElement? Blocks, JsonElement? Metadata, string ReplacedAt, string ReplacedBy);
