using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Integrations.Slack;
using SignalCraft.Routing;

namespace SignalCraft.Web.Rules;

/// <summary>A Slack channel a rule can send to, as the picker shows it.</summary>
public sealed record ChannelChoice(long ConnectionId, string Team, string ChannelId, string Name, bool IsPrivate)
{
    /// <summary>The picker's form value: connection and channel id (a name can change, the id does not).</summary>
    public string Value => $"{ConnectionId}:{ChannelId}";
}

/// <summary>
/// The workspace's Slack channels for the rule builder (every connection, every page of <c>conversations.list</c>,
/// through <see cref="SlackChannelDirectory"/>'s cache) and names for the channel ids rules store.
/// </summary>
public sealed class RuleChannels
{
    private RuleChannels(List<ChannelChoice> channels, List<string> problems, int connections)
    {
        Channels = channels;
        Problems = problems;
        Connections = connections;
    }

    public IReadOnlyList<ChannelChoice> Channels { get; }

    /// <summary>Why some channels could not be listed (a connection needing reconnection, rate limits), in words.</summary>
    public IReadOnlyList<string> Problems { get; }

    public int Connections { get; }

    public static async Task<RuleChannels> LoadAsync(SignalCraftDbContext db, SlackChannelDirectory directory, CancellationToken ct)
    {
        var connections = await db.Set<SlackConnection>().AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
        var channels = new List<ChannelChoice>();
        var problems = new List<string>();
        foreach (var connection in connections)
        {
            string? cursor = null;
            for (var pages = 0; pages < 50; pages++)
            {
                var (page, failure) = await directory.PageAsync(connection, cursor, ct);
                if (failure is not null)
                {
                    problems.Add(failure.Detail);
                    break;
                }
                channels.AddRange(page!.Channels.Select(c => new ChannelChoice(connection.Id, connection.TeamName ?? connection.TeamId, c.Id, c.Name, c.IsPrivate)));
                if ((cursor = page.NextCursor) is null)
                {
                    break;
                }
            }
        }
        return new RuleChannels(channels.OrderBy(c => c.Team).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList(), problems, connections.Count);
    }

    /// <summary>How a target reads on a page: <c>#alerts</c>, or the masked webhook URL.</summary>
    public string Describe(TargetSpec target) => target.Kind switch
    {
        "slack" => Channels.FirstOrDefault(c => c.ChannelId == target.Channel && (target.ConnectionId is null || c.ConnectionId == target.ConnectionId))
            is { } known
            ? (Connections > 1 ? $"#{known.Name} ({known.Team})" : $"#{known.Name}")
            : $"Slack channel {target.Channel}",
        "webhook" => $"webhook {target.Url}",
        _ => target.Kind,
    };
}
