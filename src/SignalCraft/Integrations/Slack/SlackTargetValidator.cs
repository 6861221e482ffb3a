using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Notify;

namespace SignalCraft.Integrations.Slack;

/// <summary>
/// Checks a Slack target when a rule is saved: the connection (null = the workspace's only one) and the channel,
/// against the connection's channel list. Channels are stored by id, so a rename does not break a rule.
/// </summary>
internal sealed class SlackTargetValidator(SignalCraftDbContext db, SlackChannelDirectory channels) : ISlackTargetValidator
{
    public async Task<SlackTargetCheck> ValidateAsync(long workspaceId, long? connectionId, string channel, CancellationToken ct)
    {
        var connections = await db.Set<SlackConnection>().IgnoreQueryFilters().Where(c => c.WorkspaceId == workspaceId)
            .OrderBy(c => c.Id).ToListAsync(ct);
        SlackConnection? connection;
        if (connectionId is { } id)
        {
            connection = connections.FirstOrDefault(c => c.Id == id);
            if (connection is null)
            {
                return new SlackTargetCheck(0, channel, $"Slack connection {id} does not exist in this workspace; see GET /api/integrations.");
            }
        }
        else
        {
            if (connections.Count == 0)
            {
                return new SlackTargetCheck(0, channel, "Connect Slack first (Integrations → Slack), then pick a channel.");
            }
            if (connections.Count > 1)
            {
                return new SlackTargetCheck(0, channel,
                    $"This workspace has {connections.Count} Slack connections; name one with connectionId ({string.Join(", ", connections.Select(c => $"{c.Id} = {c.TeamName}"))}).");
            }
            connection = connections[0];
        }
        var (found, failure) = await channels.FindAsync(connection, channel, ct);
        if (failure is not null)
        {
            return new SlackTargetCheck(connection.Id, channel, failure.Detail);
        }
        return found is null
            ? new SlackTargetCheck(connection.Id, channel,
                $"Channel '{channel}' was not found in Slack team {connection.TeamName}: check the name, or invite the bot to a private channel.")
            : new SlackTargetCheck(connection.Id, found.Id, null);
    }
}
