using System.Text.Json;

namespace SlackEmulator.State;

/// <summary>
/// One message as the emulator stores it. JSON parts are <see cref="JsonElement"/> (immutable), so a
/// snapshot taken under the state lock can be serialised after the lock is released.
/// </summary>
internal sealed class StoredMessage
{
    public required string Ts { get; init; }
    public required long TsMicros { get; init; }
    public required string TeamId { get; init; }
    public required string ChannelId { get; init; }
    public required string UserId { get; init; }
    public string? BotId { get; init; }
    public string? AppId { get; init; }
    public string Text { get; set; } = "";
    public JsonElement? Blocks { get; set; }
    public JsonElement? Attachments { get; set; }
    public JsonElement? Metadata { get; set; }
    public string? ThreadTs { get; init; }
    public bool ReplyBroadcast { get; init; }
    public MessageEdited? Edited { get; set; }
    public List<MessageVersion> History { get; } = [];
    public List<string> ReplyTs { get; } = [];
    public bool Deleted { get; set; }

    /// <summary>Ephemeral messages (response_url replies) are shown only to <see cref="VisibleTo"/>.</summary>
    public bool Ephemeral { get; init; }
    public string? VisibleTo { get; init; }

    public bool IsReply => ThreadTs is not null && ThreadTs != Ts;

    /// <summary>Keeps the current content as a past version before an edit replaces it.</summary>
    public void RememberVersion(string replacedAtTs, string how) =>
        History.Add(new MessageVersion(Text, Blocks, Metadata, replacedAtTs, how));
}

internal sealed record MessageEdited(string User, string Ts);

/// <summary>A past version of a message and when/how it was replaced (chat.update, response_url, ...).</summary>
internal sealed record MessageVersion(string Text, JsonElement? Blocks, JsonElement? Metadata, string ReplacedAt, string ReplacedBy);
