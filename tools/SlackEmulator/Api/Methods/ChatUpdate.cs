using SlackEmulator.Clock;
using SlackEmulator.State;

namespace SlackEmulator.Api.Methods;

/// <summary>
/// chat.update: only the poster's own messages; omitted blocks/attachments/metadata are kept, an empty
/// value clears them; the previous version goes to the edit history and the message is marked edited.
/// </summary>
internal static class ChatUpdate
{
    public static ApiResult Handle(ApiContext ctx)
    {
        var channel = ctx.Team.FindChannel(ctx.Args.String("channel") ?? "");
        if (channel is null || (!channel.IsPublic && !channel.Members.Contains(ctx.Token.UserId)))
        {
            return ApiResult.Error("channel_not_found");
        }

        if (channel.IsArchived)
        {
            // chat.update says is_inactive (not is_archived) for a frozen or archived channel.
            return ApiResult.Error("is_inactive");
        }

        var message = channel.Find(ctx.Args.String("ts"));
        if (message is null or { Deleted: true } or { Ephemeral: true })
        {
            return ApiResult.Error("message_not_found");
        }

        if (message.UserId != ctx.Token.UserId || message.AppId != ctx.Token.AppId)
        {
            return ApiResult.Error("cant_update_message");
        }

        var (content, error) = MessageContent.Read(ctx.Args, isUpdate: true);
        if (error is not null)
        {
            return error;
        }

        var editTs = SlackTs.Format(ctx.Now);
        message.RememberVersion(editTs, "chat.update");
        if (content.Text is not null)
        {
            message.Text = content.Text;
        }

        if (content.HasBlocks)
        {
            message.Blocks = content.Blocks;
        }

        if (content.HasAttachments)
        {
            message.Attachments = content.Attachments;
        }

        if (content.HasMetadata)
        {
            message.Metadata = content.Metadata;
        }

        message.Edited = new MessageEdited(message.BotId ?? message.UserId, editTs);
        ctx.State.Touch();

        var body = ApiResult.OkBody();
        body["channel"] = channel.Id;
        body["ts"] = message.Ts;
        body["text"] = message.Text;
        body["message"] = SlackJson.Message(message, ctx.Team, includeMetadata: true, includeTs: false);
        return ApiResult.Ok(body).WithWarnings(content.Warnings);
    }
}
