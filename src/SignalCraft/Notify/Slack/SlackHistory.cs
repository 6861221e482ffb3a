using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SignalCraft.Integrations.Slack;
using SignalCraft.Jobs;

namespace SignalCraft.Notify.Slack;

/// <summary>
/// After an ambiguous post (timeout, 5xx, <c>fatal_error</c>, or an attempt that never recorded its outcome), looks for
/// the message in the channel's history since the attempt started, by the metadata every post carries. A complete read
/// is kept (<see cref="SlackHistorySnapshots"/>) and answers the other checks in that channel whose attempts had all
/// ended before it started.
/// </summary>
public sealed class SlackHistory(SlackApiClient slack, SlackConversation conversation, SlackHistorySnapshots snapshots, TimeProvider time,
    IOptions<JobsOptions> jobs)
{
    /// <summary>Slack's and our clocks may differ: read a minute before the first attempt started.</summary>
    private static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(1);

    /// <summary>A read goes at least this far back, so that one read covers the whole backlog of an outage.</summary>
    private static readonly TimeSpan ReadBack = TimeSpan.FromMinutes(5);

    private const int MaxPages = 10;

    /// <summary>Whether a kept read already answers the check (no Slack call, so no history slot is needed).</summary>
    public bool Answered(string teamId, string channel, UnsettledAttempts attempts) =>
        snapshots.Covering(teamId, channel, attempts.FirstStartedAt - ClockMargin, SettledAt(attempts)) is not null;

    /// <summary>The ts of the message carrying this (group, target, key), null when there is none, or the failed call.</summary>
    public async Task<(string? Ts, SlackCall? Failure)> FindAsync(SlackConnection connection, string channel, UnsettledAttempts attempts,
        long groupId, long targetId, string key, CancellationToken ct)
    {
        var since = attempts.FirstStartedAt - ClockMargin;
        if (snapshots.Covering(connection.TeamId, channel, since, SettledAt(attempts)) is { } kept)
        {
            return (kept.Messages.GetValueOrDefault((groupId, targetId, key)), null);
        }
        var readAt = time.GetUtcNow().UtcDateTime;
        var from = since < readAt - ReadBack ? since : readAt - ReadBack;
        var oldest = (new DateTimeOffset(DateTime.SpecifyKind(from, DateTimeKind.Utc)).ToUnixTimeMilliseconds() / 1000.0)
            .ToString("0.000000", CultureInfo.InvariantCulture);
        var messages = new Dictionary<(long, long, string), string>();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
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
                // Newest first: an earlier copy overwrites a later one, so every reader adopts the first post.
                if (Read(message) is { } id && message.TryGetProperty("ts", out var ts) && ts.GetString() is { } value)
                {
                    messages[id] = value;
                }
            }
            cursor = call.Body.TryGetProperty("response_metadata", out var meta) && meta.TryGetProperty("next_cursor", out var next)
                && next.GetString() is { Length: > 0 } n ? n : null;
            if (cursor is null)
            {
                snapshots.Keep(connection.TeamId, channel, new SlackHistorySnapshots.Snapshot(from, readAt, messages));
                break;
            }
        }
        return (messages.GetValueOrDefault((groupId, targetId, key)), null);
    }

    /// <summary>An attempt's calls end within the job's timeout (its lease), so a read after that sees what it stored.</summary>
    private DateTime SettledAt(UnsettledAttempts attempts) => attempts.LastStartedAt + jobs.Value.JobTimeout;

    private static (long GroupId, long TargetId, string Key)? Read(JsonElement message) =>
        message.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("event_type", out var type) && type.GetString() == SlackMessageBuilder.MetadataType
        && metadata.TryGetProperty("event_payload", out var payload) && payload.ValueKind == JsonValueKind.Object
        && payload.TryGetProperty("group_id", out var g) && g.TryGetInt64(out var groupId)
        && payload.TryGetProperty("target_id", out var t) && t.TryGetInt64(out var targetId)
        && payload.TryGetProperty("key", out var k) && k.GetString() is { } key
            ? (groupId, targetId, key)
            : null;
}
