using SlackEmulator.Api.Methods;
using SlackEmulator.RateLimits;

namespace SlackEmulator.Api;

/// <summary>A Web API method the emulator implements.</summary>
/// <param name="RequiredScope">Checked before the handler runs; null when the handler checks by conversation type.</param>
/// <param name="AcceptedScopes">What the x-accepted-oauth-scopes header names.</param>
internal sealed record ApiMethod(
    string Name,
    RateTier Tier,
    bool JsonBody,
    string? RequiredScope,
    string AcceptedScopes,
    Func<ApiContext, ApiResult> Handler,
    bool NeedsToken = true);

/// <summary>The method table: tiers and JSON support from the reference (§1.2, §1.5).</summary>
internal static class ApiMethods
{
    public static readonly IReadOnlyDictionary<string, ApiMethod> All = new[]
    {
        new ApiMethod("auth.test", RateTier.Special, true, null, "", AuthAndUsers.AuthTest),
        new ApiMethod("chat.postMessage", RateTier.Special, true, "chat:write", "chat:write", ChatPostMessage.Handle),
        new ApiMethod("chat.update", RateTier.Tier3, true, "chat:write", "chat:write", ChatUpdate.Handle),
        new ApiMethod("conversations.list", RateTier.Tier2, false, null, "channels:read,groups:read,im:read,mpim:read", Conversations.List),
        new ApiMethod("conversations.join", RateTier.Tier3, true, "channels:join", "channels:join", Conversations.Join),
        new ApiMethod("conversations.history", RateTier.Tier3, false, null, "channels:history,groups:history,im:history,mpim:history", ConversationsHistory.Handle),
        new ApiMethod("users.info", RateTier.Tier4, false, "users:read", "users:read", AuthAndUsers.UsersInfo),
        new ApiMethod("users.lookupByEmail", RateTier.Tier3, false, "users:read.email", "users:read.email", AuthAndUsers.LookupByEmail),
        new ApiMethod("oauth.v2.access", RateTier.Special, false, null, "", OAuthV2Access.Handle, NeedsToken: false),
    }.ToDictionary(m => m.Name, StringComparer.Ordinal);
}
