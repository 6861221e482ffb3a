using SlackEmulator.Clock;
using SlackEmulator.State;

namespace SlackEmulator.Api;

/// <summary>
/// Finds the conversation a call names and applies Slack's visibility rules: a private channel the
/// bot is not in does not exist for it (channel_not_found); a public one it is not in can be seen
/// but not posted to without chat:write.public (not_in_channel).
/// </summary>
internal static class ChannelAccess
{
    /// <summary>By id, by name ("#alerts" or "alerts"), or a user id (the bot's DM with that user).</summary>
    public static Channel? Find(ApiContext ctx, string? arg, bool allowUserDm)
    {
        if (string.IsNullOrWhiteSpace(arg))
        {
            return null;
        }

        var team = ctx.Team;
        var channel = team.FindChannel(arg) ?? team.FindChannelByName(arg);
        if (channel is null && allowUserDm && team.Users.TryGetValue(arg, out var user) && !user.IsBot)
        {
            channel = ctx.State.GetOrCreateIm(team, ctx.Bot, user, SlackTs.UnixSeconds(ctx.Now));
        }

        if (channel is null || (!channel.IsPublic && !channel.Members.Contains(ctx.Token.UserId)))
        {
            return null;
        }

        return channel;
    }

    /// <summary>The checks chat.postMessage makes before it stores anything.</summary>
    public static (Channel? Channel, ApiResult? Error) ForPost(ApiContext ctx)
    {
        var channel = Find(ctx, ctx.Args.String("channel"), allowUserDm: true);
        if (channel is null)
        {
            return (null, ApiResult.Error("channel_not_found"));
        }

        if (channel.IsArchived)
        {
            return (null, ApiResult.Error("is_archived"));
        }

        var member = channel.Members.Contains(ctx.Token.UserId);
        if (!member && !(channel.IsPublic && ctx.Token.HasScope("chat:write.public")))
        {
            return (null, ApiResult.Error("not_in_channel"));
        }

        return (channel, null);
    }

    /// <summary>The read scope a conversation type needs (conversations.history).</summary>
    public static string HistoryScope(Channel channel) =>
        channel.IsIm ? "im:history" : channel.IsPrivate ? "groups:history" : "channels:history";
}
