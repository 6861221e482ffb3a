using Microsoft.AspNetCore.Identity;

namespace SignalCraft.Accounts;

/// <summary>A person who signs in to SignalCraft (web app with a cookie, scripts with a bearer token).</summary>
public sealed class SignalCraftUser : IdentityUser
{
    /// <summary>Shown on timelines and in Slack messages ("Acknowledged by …").</summary>
    public string? DisplayName { get; set; }
}
