namespace SlackEmulator.State;

/// <summary>
/// All in-memory state of the emulator. Every read and write happens under <see cref="Gate"/>: the
/// operations are tiny (dictionary look-ups, list appends), so one lock keeps them consistent under
/// thousands of concurrent posts without the reasoning cost of finer locks. JSON is serialised
/// outside the lock from immutable snapshots.
/// </summary>
internal sealed class EmulatorState
{
    public const string DefaultAppId = "A0EMULATOR";

    private long _version;

    public Lock Gate { get; } = new();
    public Dictionary<string, Team> Teams { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, SlackApp> Apps { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, TokenGrant> Tokens { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, RefreshGrant> RefreshTokens { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, AuthCode> Codes { get; } = new(StringComparer.Ordinal);
    public BehaviorSettings Behavior { get; set; } = new();

    /// <summary>Bumped on every change a channel page shows, so open pages know to reload.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void Touch() => Interlocked.Increment(ref _version);

    public EmulatorState() => Clear();

    public void Clear()
    {
        Teams.Clear();
        Apps.Clear();
        Tokens.Clear();
        RefreshTokens.Clear();
        Codes.Clear();
        Behavior = new BehaviorSettings();
        Apps[DefaultAppId] = new SlackApp
        {
            Id = DefaultAppId,
            ClientId = "emulator-client-id",
            ClientSecret = "emulator-client-secret",
            SigningSecret = "emulator-signing-secret",
        };
        Touch();
    }

    public Team? FindTeam(string? id) => id is not null && Teams.TryGetValue(id, out var team) ? team : null;

    public SlackApp? FindAppByClientId(string? clientId) =>
        Apps.Values.FirstOrDefault(a => string.Equals(a.ClientId, clientId, StringComparison.Ordinal));

    public Team CreateTeam(string? id, string name, string? domain)
    {
        id ??= Ids.Next('T');
        if (Teams.ContainsKey(id))
        {
            throw new ConflictException($"team {id} already exists");
        }

        var team = new Team { Id = id, Name = name, Domain = domain ?? Slug(name) };
        Teams[id] = team;
        Touch();
        return team;
    }

    public Channel CreateChannel(Team team, string? id, string name, bool isPrivate, bool archived, long created)
    {
        id ??= Ids.Next(isPrivate ? 'G' : 'C');
        if (team.FindChannel(id) is not null || team.FindChannelByName(name) is not null)
        {
            throw new ConflictException($"channel {id} / #{name} already exists in {team.Id}");
        }

        var channel = new Channel
        {
            Id = id,
            TeamId = team.Id,
            Name = name.TrimStart('#'),
            IsPrivate = isPrivate,
            IsArchived = archived,
            IsGeneral = team.ChannelList.Count == 0 && !isPrivate,
            Created = created,
        };
        team.AddChannel(channel);
        Touch();
        return channel;
    }

    public SlackUser CreateUser(Team team, string? id, string name, string? realName, string? email)
    {
        id ??= Ids.Next('U');
        if (team.Users.ContainsKey(id))
        {
            throw new ConflictException($"user {id} already exists in {team.Id}");
        }

        var user = new SlackUser { Id = id, TeamId = team.Id, Name = name, RealName = realName ?? name, Email = email };
        team.Users[id] = user;
        Touch();
        return user;
    }

    /// <summary>The app's bot user in the team, created on first install and kept across re-installs.</summary>
    public SlackUser EnsureBot(Team team, SlackApp app)
    {
        if (team.BotsByApp.TryGetValue(app.Id, out var bot))
        {
            return bot;
        }

        bot = new SlackUser
        {
            Id = Ids.Next('U'),
            TeamId = team.Id,
            Name = app.Name.ToLowerInvariant().Replace(' ', '_'),
            RealName = app.Name,
            IsBot = true,
            BotId = Ids.Next('B'),
            AppId = app.Id,
        };
        team.Users[bot.Id] = bot;
        team.BotsByApp[app.Id] = bot;
        return bot;
    }

    /// <summary>Issues a bot token for (team, app) with the given scopes.</summary>
    public TokenGrant Install(Team team, SlackApp app, IReadOnlyList<string> scopes, string? token, DateTimeOffset? expiresAt)
    {
        var bot = EnsureBot(team, app);
        token ??= expiresAt is null
            ? $"xoxb-{Ids.NextNumber()}-{Ids.NextNumber()}-{Ids.Random(24)}"
            : $"xoxe.xoxb-1-{Ids.Random(40)}";
        if (Tokens.ContainsKey(token))
        {
            throw new ConflictException("that token is already issued");
        }

        var grant = new TokenGrant
        {
            Token = token,
            TeamId = team.Id,
            AppId = app.Id,
            UserId = bot.Id,
            BotId = bot.BotId,
            Scopes = scopes,
            ExpiresAt = expiresAt,
        };
        Tokens[token] = grant;
        Touch();
        return grant;
    }

    /// <summary>The bot's DM with a user ("D…"), opened the first time a post names the user.</summary>
    public Channel GetOrCreateIm(Team team, SlackUser bot, SlackUser user, long created)
    {
        var existing = team.ChannelList.FirstOrDefault(c => c.IsIm && c.Members.Contains(bot.Id) && c.Members.Contains(user.Id));
        if (existing is not null)
        {
            return existing;
        }

        var im = new Channel { Id = Ids.Next('D'), TeamId = team.Id, Name = user.Id, IsIm = true, Created = created };
        im.Members.Add(bot.Id);
        im.Members.Add(user.Id);
        team.AddChannel(im);
        return im;
    }

    public static IReadOnlyList<string> ParseScopes(string? scopes) =>
        (scopes ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToArray();

    private static string Slug(string name) =>
        new string([.. name.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-')]).Trim('-');
}

/// <summary>A control-API request that would create something that already exists (HTTP 409).</summary>
internal sealed class ConflictException(string message) : Exception(message);

/// <summary>Switches for behaviour the sources do not pin down.</summary>
internal sealed record BehaviorSettings
{
    /// <summary>chat.postMessage with a thread_ts naming no message: false stores the reply anyway.</summary>
    public bool RejectUnknownThreadTs { get; init; }
}
