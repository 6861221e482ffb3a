namespace SlackEmulator.Api.Methods;

/// <summary>auth.test, users.info and users.lookupByEmail.</summary>
internal static class AuthAndUsers
{
    /// <summary>Who the token is: team, bot user and bot id (the fields of Slack's bot-token example).</summary>
    public static ApiResult AuthTest(ApiContext ctx)
    {
        var team = ctx.Team;
        var bot = ctx.Bot;
        var body = ApiResult.OkBody();
        body["url"] = team.Url;
        body["team"] = team.Name;
        body["user"] = bot.Name;
        body["team_id"] = team.Id;
        body["user_id"] = bot.Id;
        body["bot_id"] = ctx.Token.BotId;
        body["is_enterprise_install"] = false;
        return ApiResult.Ok(body);
    }

    public static ApiResult UsersInfo(ApiContext ctx)
    {
        var id = ctx.Args.String("user");
        if (string.IsNullOrEmpty(id) || !ctx.Team.Users.TryGetValue(id, out var user))
        {
            return ApiResult.Error("user_not_found");
        }

        var body = ApiResult.OkBody();
        body["user"] = SlackJson.User(user, ctx.Token.HasScope("users:read.email"));
        return ApiResult.Ok(body);
    }

    public static ApiResult LookupByEmail(ApiContext ctx)
    {
        var email = ctx.Args.String("email");
        var user = string.IsNullOrEmpty(email) ? null : ctx.Team.FindUserByEmail(email);
        if (user is null)
        {
            return ApiResult.Error("users_not_found");
        }

        var body = ApiResult.OkBody();
        body["user"] = SlackJson.User(user, includeEmail: true);
        return ApiResult.Ok(body);
    }
}
