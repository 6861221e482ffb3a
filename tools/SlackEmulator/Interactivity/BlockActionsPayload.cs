using System.Text.Json;
using System.Text.Json.Nodes;
using SlackEmulator.Api;
using SlackEmulator.Clock;
using SlackEmulator.State;

namespace SlackEmulator.Interactivity;

/// <summary>The block_actions payload, with the fields (and order) of Slack's examples.</summary>
internal static class BlockActionsPayload
{
    public static JsonObject Build(Team team, Channel channel, StoredMessage message, SlackUser user, SlackApp app,
        FoundAction found, JsonElement? selected, string responseUrl, DateTimeOffset now)
    {
        var actionTs = SlackTs.Format(now);
        var container = new JsonObject
        {
            ["type"] = "message",
            ["message_ts"] = message.Ts,
            ["channel_id"] = channel.Id,
            ["is_ephemeral"] = false,
        };
        if (message.IsReply)
        {
            container["thread_ts"] = message.ThreadTs;
        }

        return new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = user.Id, ["username"] = user.Name, ["name"] = user.Name, ["team_id"] = team.Id },
            ["api_app_id"] = app.Id,
            ["token"] = app.VerificationToken,
            ["container"] = container,
            ["trigger_id"] = $"{SlackTs.UnixSeconds(now)}.{Ids.NextNumber()}.{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())}",
            ["team"] = new JsonObject { ["id"] = team.Id, ["domain"] = team.Domain },
            ["enterprise"] = null,
            ["is_enterprise_install"] = false,
            ["channel"] = new JsonObject { ["id"] = channel.Id, ["name"] = channel.IsIm ? "directmessage" : channel.Name },
            ["message"] = SlackJson.Message(message, team, includeMetadata: true),
            ["state"] = new JsonObject { ["values"] = new JsonObject() },
            ["response_url"] = responseUrl,
            ["actions"] = new JsonArray(ActionLookup.ToPayloadAction(found, selected, actionTs)),
        };
    }
}
