using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;
using SignalCraft.Data;

namespace SignalCraft.Integrations.Slack;

/// <summary>The profile page's view of a person's Slack link (the first connected team they are linked in).</summary>
internal sealed class SlackUserLinks(SignalCraftDbContext db) : IUserSlackLinks
{
    public async Task<UserSlackLink?> FindAsync(long workspaceId, string userId, CancellationToken ct)
    {
        var link = await db.Set<SlackUserLink>().IgnoreQueryFilters().AsNoTracking()
            .Where(l => l.WorkspaceId == workspaceId && l.UserId == userId).OrderBy(l => l.Id).FirstOrDefaultAsync(ct);
        if (link is null)
        {
            return null;
        }
        var team = await db.Set<SlackConnection>().IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.WorkspaceId == workspaceId && c.TeamId == link.TeamId).Select(c => c.TeamName).FirstOrDefaultAsync(ct);
        return new UserSlackLink(link.SlackUserId, link.SlackName, team, link.LinkedAt);
    }
}
