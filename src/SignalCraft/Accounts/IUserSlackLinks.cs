namespace SignalCraft.Accounts;

/// <summary>A person's linked Slack user in a workspace (for mentions and for "Acknowledged by" from Slack buttons).</summary>
public sealed record UserSlackLink(string SlackUserId, string? SlackName, string? TeamName, DateTime LinkedAt);

/// <summary>
/// Finds a person's Slack link. The Slack feature implements it; until one is registered the profile page says
/// "not linked".
/// </summary>
public interface IUserSlackLinks
{
    Task<UserSlackLink?> FindAsync(long workspaceId, string userId, CancellationToken ct);
}
