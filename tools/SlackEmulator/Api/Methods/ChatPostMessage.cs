using SlackEmulator.State;

namespace SlackEmulator.Api.Methods;

/// <summary>chat.postMessage: checks, per-channel rate, then stores the message with a fresh ts.</summary>
internal static class ChatPostMessage
{
    public static ApiResult Handle(ApiContext ctx)
    {
        var (channel, error) = ChannelAccess.ForPost(ctx);
        if (channel is null)
        {
            return error!;
        }

        var (content, contentError) = MessageContent.Read(ctx.Args, isUpdate: false);
        if (contentError is not null)
        {
            return contentError;
        }

        var (parent, threadError) = FindParent(ctx, channel);
        if (threadError is not null)
        {
            return threadError;
        }

        // Checked after validation so that a refused post does not use up the channel's budget.
        if (!ctx.RateLimits.TryTakePost(ctx.Team.Id, channel.Id, out var retryAfter))
        {
            return ApiResult.RateLimited(retryAfter);
        }

        var (ts, micros) = channel.NextTs(ctx.Now);
        var message = new StoredMessage
        {
            Ts = ts,
            TsMicros = micros,
            TeamId = ctx.Team.Id,
            ChannelId = channel.Id,
            UserId = ctx.Token.UserId,
            BotId = ctx.Token.BotId,
            AppId = ctx.Token.AppId,
            Text = content.Text ?? "",
            Blocks = content.Blocks,
            Attachments = content.Attachments,
            Metadata = content.Metadata,
            ThreadTs = parent?.Ts ?? ThreadArg(ctx),
            ReplyBroadcast = ThreadArg(ctx) is not null && ctx.Args.Bool("reply_broadcast"),
        };
        channel.Add(message);
        parent?.ReplyTs.Add(ts);
        ctx.State.Touch();

        var body = ApiResult.OkBody();
        body["channel"] = channel.Id;
        body["ts"] = ts;
        body["message"] = SlackJson.Message(message, ctx.Team, includeMetadata: true);
        return ApiResult.Ok(body).WithWarnings(content.Warnings);
    }

    private static string? ThreadArg(ApiContext ctx) => ctx.Args.String("thread_ts") is { Length: > 0 } t ? t : null;

    /// <summary>
    /// The thread parent. A reply's ts is mapped to its parent (replies are one level deep in Slack).
    /// What Slack does with a thread_ts that names no message is not documented: by default the reply
    /// is stored anyway; the behaviour switch makes it an error instead.
    /// </summary>
    private static (StoredMessage? Parent, ApiResult? Error) FindParent(ApiContext ctx, Channel channel)
    {
        var threadTs = ThreadArg(ctx);
        if (threadTs is null)
        {
            return (null, null);
        }

        var target = channel.Find(threadTs);
        if (target is { IsReply: true })
        {
            target = channel.Find(target.ThreadTs);
        }

        if (target is null or { Ephemeral: true } or { Deleted: true })
        {
            return ctx.State.Behavior.RejectUnknownThreadTs
                ? (null, ApiResult.Error("thread_not_found"))
                : (null, null);
        }

        return (target, null);
    }
}
