using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Notify;

namespace SignalCraft.Integrations.Slack;

/// <summary>A Slack target's health as listed under its connection.</summary>
public sealed record SlackTargetHealthDto(long TargetId, string Channel, string Status, string? LastError, DateTime? LastSuccessAt, DateTime? LastFailureAt);

/// <summary>A Slack connection as admins see it: team, bot, scopes, health; never a token.</summary>
public sealed record SlackConnectionDto(string TeamId, string? TeamName, string? BotUserId, string Scopes, bool RotatingToken,
    DateTime? TokenExpiresAt, DateTime? LastErrorAt, IReadOnlyList<SlackTargetHealthDto> Targets);

/// <summary>The workspace's Slack connections for <c>GET /api/integrations</c> (filtered to the request's workspace).</summary>
public static class SlackConnectionQueries
{
    public static async Task<List<IntegrationDto>> ListAsync(SignalCraftDbContext db, CancellationToken ct)
    {
        var connections = await db.Set<SlackConnection>().AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
        var targets = await db.Set<NotificationTarget>().AsNoTracking().Where(t => t.Kind == "slack").OrderBy(t => t.Id).ToListAsync(ct);
        return connections.Select(c => new IntegrationDto(c.Id, "slack", c.TeamName ?? c.TeamId, "oauth", null, true, true, null, c.CreatedAt,
            null, null, null, 0, 0, [], [])
        {
            Status = c.Status,
            LastError = c.LastError,
            Slack = new SlackConnectionDto(c.TeamId, c.TeamName, c.BotUserId, c.Scopes, c.RefreshTokenProtected is not null, c.TokenExpiresAt,
                c.LastErrorAt, targets.Where(t => t.ConnectionId == c.Id)
                    .Select(t => new SlackTargetHealthDto(t.Id, t.Channel!, t.Status, t.LastError, t.LastSuccessAt, t.LastFailureAt)).ToList()),
        }).ToList();
    }
}
