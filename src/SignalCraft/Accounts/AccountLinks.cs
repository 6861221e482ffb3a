using SignalCraft.Hosting;

namespace SignalCraft.Accounts;

/// <summary>
/// The links handed out for invites and password resets. They point at web pages (<c>/invites/{token}</c>,
/// <c>/reset-password/{token}</c>) that call the API; until the web app maps them, the token in the link is what
/// <c>POST /api/invites/{token}/accept</c> and <c>POST /api/auth/reset-password</c> take. The token is a credential:
/// request logs show route templates only.
/// </summary>
internal static class AccountLinks
{
    public const string InvitePagePattern = "/invites/{token}";
    public const string ResetPagePattern = "/reset-password/{token}";

    public static string Invite(PublicUrls urls, string token) => urls.For("/invites/" + token);

    public static string Reset(PublicUrls urls, string token) => urls.For("/reset-password/" + token);
}
