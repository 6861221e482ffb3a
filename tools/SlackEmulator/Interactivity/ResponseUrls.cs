using SlackEmulator.State;

namespace SlackEmulator.Interactivity;

/// <summary>One response_url handed out with a click: 5 uses within 30 minutes, as Slack allows.</summary>
internal sealed class ResponseUrlGrant
{
    public const int MaxUses = 5;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    public required string Id { get; init; }
    public required string Secret { get; init; }
    public required string TeamId { get; init; }
    public required string ChannelId { get; init; }
    public required string MessageTs { get; init; }
    public required string UserId { get; init; }
    public required string AppId { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public int Uses { get; set; }

    public string Path => $"/actions/{TeamId}/{Id}/{Secret}";
}

/// <summary>The response_urls issued so far, looked up by their path.</summary>
internal sealed class ResponseUrls
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResponseUrlGrant> _byPath = new(StringComparer.Ordinal);

    public ResponseUrlGrant Issue(string teamId, string channelId, string messageTs, string userId, string appId, DateTimeOffset now)
    {
        var grant = new ResponseUrlGrant
        {
            Id = Ids.NextNumber().ToString("D13", System.Globalization.CultureInfo.InvariantCulture),
            Secret = Ids.Random(24),
            TeamId = teamId,
            ChannelId = channelId,
            MessageTs = messageTs,
            UserId = userId,
            AppId = appId,
            ExpiresAt = now + ResponseUrlGrant.Lifetime,
        };
        lock (_gate)
        {
            _byPath[grant.Path] = grant;
        }

        return grant;
    }

    /// <summary>Takes one use; says why not when the URL is unknown, expired or used up.</summary>
    public (ResponseUrlGrant? Grant, string? Error) TryUse(string path, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_byPath.TryGetValue(path, out var grant))
            {
                return (null, "invalid_url");
            }

            if (now >= grant.ExpiresAt)
            {
                return (null, "expired_url");
            }

            if (grant.Uses >= ResponseUrlGrant.MaxUses)
            {
                return (null, "used_url");
            }

            grant.Uses++;
            return (grant, null);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _byPath.Clear();
        }
    }
}
