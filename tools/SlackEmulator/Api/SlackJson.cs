using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SlackEmulator.State;

namespace SlackEmulator.Api;

/// <summary>Builds Slack's JSON shapes (message, conversation, user) from stored state.</summary>
internal static class SlackJson
{
    /// <summary>Slack does not escape &lt;, &gt; or &amp; in its JSON; neither do we, so mrkdwn stays readable.</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonNode? Node(JsonElement? element) => element is { } e ? JsonNode.Parse(e.GetRawText()) : null;

    public static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node, Options);

    public static string Serialize(JsonNode node) => node.ToJsonString(Options);

    /// <summary>The message object as chat.postMessage, conversations.history and callbacks show it.</summary>
    public static JsonObject Message(StoredMessage m, Team team, bool includeMetadata, bool includeTs = true)
    {
        var json = new JsonObject
        {
            ["type"] = "message",
            ["user"] = m.UserId,
        };
        if (m.BotId is not null)
        {
            json["bot_id"] = m.BotId;
            json["app_id"] = m.AppId;
        }

        json["text"] = m.Text;
        if (includeTs)
        {
            json["ts"] = m.Ts;
        }

        json["team"] = team.Id;
        if (m.BotId is not null && team.Users.TryGetValue(m.UserId, out var bot))
        {
            json["bot_profile"] = BotProfile(bot, team);
        }

        if (m.Blocks is not null)
        {
            json["blocks"] = Node(m.Blocks);
        }

        if (m.Attachments is not null)
        {
            json["attachments"] = Node(m.Attachments);
        }

        AddThreadFields(json, m);
        if (m.Edited is not null)
        {
            json["edited"] = new JsonObject { ["user"] = m.Edited.User, ["ts"] = m.Edited.Ts };
        }

        if (includeMetadata && m.Metadata is not null)
        {
            json["metadata"] = Node(m.Metadata);
        }

        return json;
    }

    private static void AddThreadFields(JsonObject json, StoredMessage m)
    {
        if (m.IsReply)
        {
            json["thread_ts"] = m.ThreadTs;
            if (m.ReplyBroadcast)
            {
                json["subtype"] = "thread_broadcast";
            }
        }
        else if (m.ReplyTs.Count > 0)
        {
            json["thread_ts"] = m.Ts;
            json["reply_count"] = m.ReplyTs.Count;
            json["latest_reply"] = m.ReplyTs[^1];
        }
    }

    private static JsonObject BotProfile(SlackUser bot, Team team) => new()
    {
        ["id"] = bot.BotId,
        ["app_id"] = bot.AppId,
        ["name"] = bot.RealName,
        ["deleted"] = false,
        ["updated"] = 0,
        ["team_id"] = team.Id,
        // ".invalid" never resolves: nothing that renders these can reach the network.
        ["icons"] = new JsonObject
        {
            ["image_36"] = "https://emulator.invalid/bot_36.png",
            ["image_48"] = "https://emulator.invalid/bot_48.png",
            ["image_72"] = "https://emulator.invalid/bot_72.png",
        },
    };

    /// <summary>The conversation object of conversations.list / join, as the bot sees it.</summary>
    public static JsonObject Channel(Channel c, string viewerUserId)
    {
        var json = new JsonObject
        {
            ["id"] = c.Id,
            ["name"] = c.IsIm ? null : c.Name,
            ["is_channel"] = c.IsPublic,
            ["is_group"] = c.IsPrivate,
            ["is_im"] = c.IsIm,
            ["is_mpim"] = false,
            ["is_private"] = c.IsPrivate || c.IsIm,
            ["created"] = c.Created,
            ["creator"] = c.Creator,
            ["is_archived"] = c.IsArchived,
            ["is_general"] = c.IsGeneral,
            ["unlinked"] = 0,
            ["name_normalized"] = c.IsIm ? null : c.Name,
            ["is_shared"] = false,
            ["is_ext_shared"] = false,
            ["is_org_shared"] = false,
            ["pending_shared"] = new JsonArray(),
            ["is_pending_ext_shared"] = false,
            ["is_member"] = c.Members.Contains(viewerUserId),
            ["topic"] = EmptyTopic(),
            ["purpose"] = EmptyTopic(),
            ["previous_names"] = new JsonArray(),
            ["num_members"] = c.Members.Count,
        };
        if (c.IsIm)
        {
            json["user"] = c.Name;
        }

        return json;
    }

    private static JsonObject EmptyTopic() => new() { ["value"] = "", ["creator"] = "", ["last_set"] = 0 };

    /// <summary>The user object of users.info / users.lookupByEmail; the email needs users:read.email.</summary>
    public static JsonObject User(SlackUser u, bool includeEmail)
    {
        var profile = new JsonObject
        {
            ["real_name"] = u.RealName,
            ["display_name"] = u.Name,
        };
        if (includeEmail && u.Email is not null)
        {
            profile["email"] = u.Email;
        }

        if (u.BotId is not null)
        {
            profile["bot_id"] = u.BotId;
        }

        return new JsonObject
        {
            ["id"] = u.Id,
            ["team_id"] = u.TeamId,
            ["name"] = u.Name,
            ["deleted"] = u.Deleted,
            ["real_name"] = u.RealName,
            ["tz"] = "Etc/UTC",
            ["is_bot"] = u.IsBot,
            ["is_app_user"] = false,
            ["profile"] = profile,
        };
    }
}
