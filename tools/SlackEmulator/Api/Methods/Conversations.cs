using System.Text;
using System.Text.Json.Nodes;
using SlackEmulator.State;

namespace SlackEmulator.Api.Methods;

/// <summary>conversations.list (cursor paging) and conversations.join.</summary>
internal static class Conversations
{
    private static readonly Dictionary<string, string> TypeScopes = new(StringComparer.Ordinal)
    {
        ["public_channel"] = "channels:read",
        ["private_channel"] = "groups:read",
        ["im"] = "im:read",
        ["mpim"] = "mpim:read",
    };

    /// <summary>
    /// Slack cuts a page of <c>limit</c> conversations first and filters it afterwards, so a page can
    /// hold fewer than <c>limit</c> items while more follow; the last page has next_cursor "".
    /// </summary>
    public static ApiResult List(ApiContext ctx)
    {
        var types = (ctx.Args.String("types") ?? "public_channel")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (types.Length == 0 || types.Any(t => !TypeScopes.ContainsKey(t)))
        {
            return ApiResult.Error("invalid_types");
        }

        var missing = types.Select(t => TypeScopes[t]).FirstOrDefault(scope => !ctx.Token.HasScope(scope));
        if (missing is not null)
        {
            return ApiResult.MissingScope(missing, ctx.Token.ScopeList);
        }

        var limit = ctx.Args.Int("limit", out var badLimit) ?? 100;
        if (badLimit || limit < 1)
        {
            return ApiResult.Error("invalid_limit");
        }

        limit = Math.Min(limit, 1000);
        var all = ctx.Team.ChannelList;
        var start = 0;
        if (ctx.Args.String("cursor") is { Length: > 0 } cursor)
        {
            start = DecodeCursor(cursor, all);
            if (start < 0)
            {
                return ApiResult.Error("invalid_cursor");
            }
        }

        var page = all.Skip(start).Take(limit).ToList();
        var excludeArchived = ctx.Args.Bool("exclude_archived");
        var botId = ctx.Token.UserId;
        var channels = new JsonArray();
        foreach (var c in page.Where(c => Visible(c, types, botId) && !(excludeArchived && c.IsArchived)))
        {
            channels.Add(SlackJson.Channel(c, botId));
        }

        var next = start + page.Count < all.Count ? EncodeCursor(all[start + page.Count].Id) : "";
        var body = ApiResult.OkBody();
        body["channels"] = channels;
        body["response_metadata"] = new JsonObject { ["next_cursor"] = next };
        return ApiResult.Ok(body);
    }

    public static ApiResult Join(ApiContext ctx)
    {
        var arg = ctx.Args.String("channel");
        var channel = string.IsNullOrEmpty(arg) ? null : ctx.Team.FindChannel(arg);
        if (channel is null || (!channel.IsPublic && !channel.Members.Contains(ctx.Token.UserId)))
        {
            return ApiResult.Error("channel_not_found");
        }

        if (!channel.IsPublic)
        {
            return ApiResult.Error("method_not_supported_for_channel_type");
        }

        if (channel.IsArchived)
        {
            return ApiResult.Error("is_archived");
        }

        var already = !channel.Members.Add(ctx.Token.UserId);
        ctx.State.Touch();
        var body = ApiResult.OkBody();
        body["channel"] = SlackJson.Channel(channel, ctx.Token.UserId);
        var result = ApiResult.Ok(body);
        return already ? result.WithWarnings(["already_in_channel"]) : result;
    }

    private static bool Visible(Channel c, string[] types, string botId) =>
        (c.IsPublic && types.Contains("public_channel"))
        || (c.IsPrivate && types.Contains("private_channel") && c.Members.Contains(botId))
        || (c.IsIm && types.Contains("im") && c.Members.Contains(botId));

    private static string EncodeCursor(string channelId) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"next:{channelId}"));

    private static int DecodeCursor(string cursor, List<Channel> all)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("next:", StringComparison.Ordinal)
                ? all.FindIndex(c => c.Id == text[5..])
                : -1;
        }
        catch (FormatException)
        {
            return -1;
        }
    }
}
