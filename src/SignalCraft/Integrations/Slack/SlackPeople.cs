using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Inbox;
using SignalCraft.Notify.Slack;

namespace SignalCraft.Integrations.Slack;

/// <summary>
/// People across Slack and SignalCraft: links a user's Slack identity by email (<c>users.lookupByEmail</c>), links a
/// clicker automatically when their Slack email is a member's email (<c>users.info</c>), and names who clicked.
/// </summary>
public sealed class SlackPeople(SignalCraftDbContext db, SlackApiClient slack, SlackConversation conversation, MemberDirectory members,
    TimeProvider time)
{
    /// <summary>Who a click is recorded as: the linked member ("Dana via Slack"), else the Slack name.</summary>
    public async Task<Actor> ActorForClickAsync(SlackConnection connection, string slackUserId, string slackName, CancellationToken ct)
    {
        var link = await db.Set<SlackUserLink>().IgnoreQueryFilters()
            .FirstOrDefaultAsync(l => l.WorkspaceId == connection.WorkspaceId && l.TeamId == connection.TeamId && l.SlackUserId == slackUserId, ct);
        if (link is null)
        {
            var info = await conversation.CallAsync(connection, "users.info", "", token => slack.PostFormAsync("users.info", token, [new("user", slackUserId)], ct), ct);
            if (info.Ok && Email(info.Body.GetProperty("user")) is { } email
                && await members.FindByEmailAsync(db, connection.WorkspaceId, email, ct) is { } member
                && !await db.Set<SlackUserLink>().IgnoreQueryFilters().AnyAsync(l => l.WorkspaceId == connection.WorkspaceId
                    && l.TeamId == connection.TeamId && l.UserId == member.UserId, ct))
            {
                link = new SlackUserLink
                {
                    WorkspaceId = connection.WorkspaceId, UserId = member.UserId, TeamId = connection.TeamId, SlackUserId = slackUserId,
                    SlackName = slackName, LinkedBy = "click", LinkedAt = time.GetUtcNow().UtcDateTime,
                };
                db.Add(link);
                await db.SaveChangesAsync(ct);
            }
        }
        if (link is not null && await members.FindAsync(connection.WorkspaceId, link.UserId, ct) is { } linked)
        {
            return new Actor(linked.UserId, $"{linked.DisplayName} via Slack");
        }
        return new Actor(null, $"{slackName} via Slack");
    }

    /// <summary>Links <paramref name="userId"/> to the Slack user with <paramref name="email"/> in the connection's team.</summary>
    public async Task<(SlackUserLink? Link, string? Problem)> LinkByEmailAsync(SlackConnection connection, string userId, string email, CancellationToken ct)
    {
        var call = await conversation.CallAsync(connection, "users.lookupByEmail", "",
            token => slack.PostFormAsync("users.lookupByEmail", token, [new("email", email)], ct), ct);
        if (!call.Ok)
        {
            return (null, call.Error == "users_not_found"
                ? $"No Slack user with the email {email} in {connection.TeamName}: use the email of your Slack profile."
                : $"Slack could not look the email up ({call.Describe()}).");
        }
        var user = call.Body.GetProperty("user");
        var slackUserId = user.GetProperty("id").GetString()!;
        var taken = await db.Set<SlackUserLink>().IgnoreQueryFilters().AnyAsync(l => l.WorkspaceId == connection.WorkspaceId
            && l.TeamId == connection.TeamId && l.SlackUserId == slackUserId && l.UserId != userId, ct);
        if (taken)
        {
            return (null, $"That Slack user is already linked to another member of this workspace.");
        }
        var link = await db.Set<SlackUserLink>().IgnoreQueryFilters()
            .FirstOrDefaultAsync(l => l.WorkspaceId == connection.WorkspaceId && l.TeamId == connection.TeamId && l.UserId == userId, ct);
        if (link is null)
        {
            link = new SlackUserLink
            {
                WorkspaceId = connection.WorkspaceId, UserId = userId, TeamId = connection.TeamId, SlackUserId = slackUserId, LinkedBy = "email",
            };
            db.Add(link);
        }
        link.SlackUserId = slackUserId;
        link.SlackName = Name(user);
        link.LinkedBy = "email";
        link.LinkedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return (link, null);
    }

    private static string? Email(JsonElement user) =>
        user.TryGetProperty("profile", out var profile) && profile.TryGetProperty("email", out var email) ? email.GetString() : null;

    private static string? Name(JsonElement user) =>
        user.TryGetProperty("profile", out var p) && p.TryGetProperty("display_name", out var d) && d.GetString() is { Length: > 0 } display ? display
        : user.TryGetProperty("real_name", out var r) && r.GetString() is { Length: > 0 } real ? real
        : user.TryGetProperty("name", out var n) ? n.GetString() : null;
}
