using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using SignalCraft.Notify.Slack;

namespace SignalCraft.Integrations.Slack;

public sealed record SlackChannel(string Id, string Name, bool IsPrivate, bool IsMember);

public sealed record SlackChannelPage(IReadOnlyList<SlackChannel> Channels, string? NextCursor);

/// <summary>A failed channel lookup, with a detail a person can act on (never a token).</summary>
public sealed record SlackChannelFailure(string Detail, bool RateLimited, TimeSpan? RetryAfter);

/// <summary>
/// A connection's channels (<c>conversations.list</c>, public and private where the bot is a member, archived left
/// out), a page at a time for pickers and as a whole for rule validation. Pages are cached for
/// <c>Slack:ChannelCacheTime</c> so pickers and saves stay well within Tier 2 (20 calls a minute).
/// </summary>
public sealed class SlackChannelDirectory(SlackApiClient slack, SlackTokens tokens, IMemoryCache cache, IOptions<SlackOptions> options)
{
    public async Task<(SlackChannelPage? Page, SlackChannelFailure? Failure)> PageAsync(SlackConnection connection, string? cursor, CancellationToken ct)
    {
        var key = $"slack-channels:{connection.Id}:{connection.UpdatedAt.Ticks}:{cursor}";
        if (cache.TryGetValue<SlackChannelPage>(key, out var cached) && cached is not null)
        {
            return (cached, null);
        }
        var token = await tokens.GetAsync(connection, false, ct);
        if (token is null)
        {
            return (null, new SlackChannelFailure($"The Slack connection to {connection.TeamName} needs reconnecting: {connection.LastError}", false, null));
        }
        var form = new List<KeyValuePair<string, string>>
        {
            new("types", "public_channel,private_channel"), new("exclude_archived", "true"), new("limit", "200"),
        };
        if (!string.IsNullOrEmpty(cursor))
        {
            form.Add(new("cursor", cursor));
        }
        var call = await slack.PostFormAsync("conversations.list", token, form, ct);
        if (!call.Ok)
        {
            if (call.Error is { } error && SlackErrorClassifier.AuthErrors.Contains(error))
            {
                await tokens.MarkAsync(connection, SlackConnectionStatus.Unhealthy, $"Slack refused the token ({error}): reconnect Slack", ct);
            }
            return (null, call.RateLimited
                ? new SlackChannelFailure($"Slack is rate limiting channel listings; try again in {(call.RetryAfter ?? TimeSpan.FromSeconds(30)).TotalSeconds:0} s.", true, call.RetryAfter)
                : new SlackChannelFailure($"Slack could not list channels ({call.Describe()}).", false, null));
        }
        var channels = call.Body.GetProperty("channels").EnumerateArray().Select(c => new SlackChannel(
            c.GetProperty("id").GetString()!, c.GetProperty("name").GetString()!,
            c.TryGetProperty("is_private", out var p) && p.ValueKind == JsonValueKind.True,
            c.TryGetProperty("is_member", out var m) && m.ValueKind == JsonValueKind.True)).ToList();
        var next = call.Body.TryGetProperty("response_metadata", out var meta) && meta.TryGetProperty("next_cursor", out var nc)
            && nc.GetString() is { Length: > 0 } n ? n : null;
        var page = new SlackChannelPage(channels, next);
        cache.Set(key, page, options.Value.ChannelCacheTime);
        return (page, null);
    }

    /// <summary>Finds a channel by id (<c>C…</c>/<c>G…</c>) or name (with or without <c>#</c>), walking every page.</summary>
    public async Task<(SlackChannel? Channel, SlackChannelFailure? Failure)> FindAsync(SlackConnection connection, string channel, CancellationToken ct)
    {
        var wanted = channel.Trim().TrimStart('#');
        string? cursor = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var (page, failure) = await PageAsync(connection, cursor, ct);
            if (failure is not null)
            {
                return (null, failure);
            }
            var found = page!.Channels.FirstOrDefault(c => c.Id == wanted)
                ?? page.Channels.FirstOrDefault(c => string.Equals(c.Name, wanted, StringComparison.OrdinalIgnoreCase));
            if (found is not null || page.NextCursor is null)
            {
                return (found, null);
            }
            cursor = page.NextCursor;
        }
        return (null, null);
    }
}
