using SignalCraft.Jobs;

namespace SignalCraft.Actions;

/// <summary>
/// A verified button click on a group's Slack message, applied by a job so Slack gets its answer within 3 seconds.
/// The <c>response_url</c> (a short-lived credential) is kept encrypted.
/// </summary>
public sealed record SlackClick(long WorkspaceId, long GroupId, long TargetId, string TeamId, string SlackUserId, string SlackUserName,
    string ActionId, string? ResponseUrlProtected, string ActionTs) : IJobArgs
{
    public static string Kind => "slack_click";

    /// <summary>Slack may deliver one click twice; the same click (user, action, action_ts) is applied once.</summary>
    public string UniqueKey => $"click:{TeamId}:{SlackUserId}:{ActionId}:{ActionTs}";
}
