using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SlackEmulator.Clock;
using SlackEmulator.RateLimits;

namespace SlackEmulator.Api.Methods;

/// <summary>
/// conversations.history: top-level messages and broadcast replies, newest first, between oldest and
/// latest; metadata only with include_all_metadata. With the low limit for non-Marketplace apps on,
/// a page holds at most 15 messages (and the method is limited to 1 call a minute elsewhere).
/// </summary>
internal static class ConversationsHistory
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 999;

    public static ApiResult Handle(ApiContext ctx)
    {
        var channel = ChannelAccess.Find(ctx, ctx.Args.String("channel"), allowUserDm: false);
        if (channel is null)
        {
            return ApiResult.Error("channel_not_found");
        }

        var scope = ChannelAccess.HistoryScope(channel);
        if (!ctx.Token.HasScope(scope))
        {
            return ApiResult.MissingScope(scope, ctx.Token.ScopeList);
        }

        if (!channel.Members.Contains(ctx.Token.UserId))
        {
            return ApiResult.Error("not_in_channel");
        }

        var low = ctx.RateLimits.Settings.LowHistoryLimit;
        var limit = ctx.Args.Int("limit", out var badLimit) ?? (low ? RateLimitSettings.LowHistoryMaxLimit : DefaultLimit);
        if (badLimit || limit < 1)
        {
            return ApiResult.Error("invalid_limit");
        }

        limit = Math.Min(limit, low ? RateLimitSettings.LowHistoryMaxLimit : MaxLimit);
        if (!TryBound(ctx.Args.String("oldest"), 0, out var oldest) || !TryBound(ctx.Args.String("latest"), long.MaxValue, out var latest))
        {
            return ApiResult.Error("invalid_ts_oldest");
        }

        var inclusive = ctx.Args.Bool("inclusive");
        var includeLatest = inclusive;
        if (ctx.Args.String("cursor") is { Length: > 0 } cursor)
        {
            if (!TryDecodeCursor(cursor, out var before))
            {
                return ApiResult.Error("invalid_cursor");
            }

            // The next page starts just below the last message already returned.
            if (before <= latest)
            {
                latest = before;
                includeLatest = false;
            }
        }

        var candidates = channel.Messages
            .Where(m => !m.Deleted && !m.Ephemeral && (!m.IsReply || m.ReplyBroadcast))
            .Where(m => (inclusive ? m.TsMicros >= oldest : m.TsMicros > oldest) && (includeLatest ? m.TsMicros <= latest : m.TsMicros < latest))
            .OrderByDescending(m => m.TsMicros)
            .Take(limit + 1)
            .ToList();
        var hasMore = candidates.Count > limit;
        var page = candidates.Take(limit).ToList();

        var includeMetadata = ctx.Args.Bool("include_all_metadata");
        var messages = new JsonArray();
        foreach (var m in page)
        {
            messages.Add(SlackJson.Message(m, ctx.Team, includeMetadata));
        }

        var body = ApiResult.OkBody();
        body["messages"] = messages;
        body["has_more"] = hasMore;
        body["pin_count"] = 0;
        body["response_metadata"] = new JsonObject
        {
            ["next_cursor"] = hasMore ? EncodeCursor(page[^1].TsMicros) : "",
        };
        return ApiResult.Ok(body);
    }

    private static bool TryBound(string? value, long fallback, out long micros)
    {
        micros = fallback;
        return string.IsNullOrEmpty(value) || value == "0" || SlackTs.TryParseMicros(value, out micros);
    }

    private static string EncodeCursor(long beforeMicros) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"before:{beforeMicros.ToString(CultureInfo.InvariantCulture)}"));

    private static bool TryDecodeCursor(string cursor, out long before)
    {
        before = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("before:", StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out before);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
