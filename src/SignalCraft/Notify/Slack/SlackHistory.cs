using System.Globalization;
using System.Text.Json;
using SignalCraft.Integrations.Slack;

namespace SignalCraft.Notify.Slack;

/// <summary>
/// After an ambiguous post (timeout, 5xx, <c>fatal_error</c>, or an attempt that never recorded its outcome), looks for
/// the message in the channel's history since the attempt started, by the metadata every post carries.
/// </summary>
public sealed class SlackHistory(SlackApiClient slack, SlackConversation conversation)
{
    /// <summary>The ts of the message carrying this (group, target, key), null when there is none, or the failed call.</summary>
    public async Task<(string? Ts, SlackCall? Failure)> FindAsync(SlackConnection connection, string channel, DateTime since, long groupId,
        long targetId, string key, CancellationToken ct)
    {
        var oldest = (new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)).ToUnixTimeMilliseconds() / 1000.0)
            .ToString("0.000000", CultureInfo.InvariantCulture);
        string? cursor = null;
        for (var page = 0; page < 10; page++)
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new("channel", channel), new("oldest", oldest), new("include_all_metadata", "true"), new("limit", "100"),
            };
            if (cursor is not null)
            {
                form.Add(new("cursor", cursor));
            }
            var call = await conversation.CallAsync(connection, "conversations.history", channel,
                token => slack.PostFormAsync("conversations.history", token, form, ct), ct);
            if (!call.Ok)
            {
                return (null, call);
            }
            foreach (var message in call.Body.GetProperty("messages").EnumerateArray())
            {
                if (Matches(message, groupId, targetId, key) && message.TryGetProperty("ts", out var ts))
                {
                    return (ts.GetString(), null);
                }
            }
            cursor = call.Body.TryGetProperty("response_metadata", out var meta) && meta.TryGetProperty("next_cursor", out var next)
                && next.GetString() is { Length: > 0 } n ? n : null;
            if (cursor is null)
            {
                break;
            }
        }
        return (null, null);
    }

    private static bool Matches(JsonElement message, long groupId, long targetId, string key) =>
        message.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("event_type", out var type) && type.GetString() == SlackMessageBuilder.MetadataType
        && metadata.TryGetProperty("event_payload", out var payload) && payload.ValueKind == JsonValueKind.Object
        && payload.TryGetProperty("group_id", out var g) && g.TryGetInt64(out var gid) && gid == groupId
        && payload.TryGetProperty("target_id", out var t) && t.TryGetInt64(out var tid) && tid == targetId
        && payload.TryGetProperty("key", out var k) && k.GetString() == key;
}
