using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Integrations.Slack;
using SignalCraft.Routing;

namespace SignalCraft.Notify.Fallback;

/// <summary>The workspace's fallback as the settings API and page show it: the target, and a warning when it is no real fallback.</summary>
public sealed record FallbackView(TargetSpec? Target, string? Warning)
{
    public const string SharedFailureDomain =
        "The fallback is a channel on the same Slack connection as your other Slack targets: a revoked token or a Slack outage for that "
        + "team takes both down. Use a webhook, or a channel on another Slack connection.";

    /// <summary>
    /// A Slack fallback shares the primary's failure domain when another target uses its connection, or when the workspace has
    /// no other Slack connection (every Slack rule target then lives on it).
    /// </summary>
    public static async Task<FallbackView> ForAsync(SignalCraftDbContext db, long workspaceId, long? fallbackTargetId, CancellationToken ct)
    {
        var target = fallbackTargetId is { } id
            ? await db.Set<NotificationTarget>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.WorkspaceId == workspaceId, ct)
            : null;
        if (target is null)
        {
            return new FallbackView(null, null);
        }
        var shared = target is { Kind: "slack", ConnectionId: { } connectionId }
            && (await db.Set<NotificationTarget>().IgnoreQueryFilters()
                    .AnyAsync(t => t.WorkspaceId == workspaceId && t.Id != target.Id && t.ConnectionId == connectionId, ct)
                || !await db.Set<SlackConnection>().IgnoreQueryFilters().AnyAsync(c => c.WorkspaceId == workspaceId && c.Id != connectionId, ct));
        return new FallbackView(TargetRegistry.Describe(target), shared ? SharedFailureDomain : null);
    }
}
