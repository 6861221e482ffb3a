using SlackEmulator.RateLimits;
using SlackEmulator.State;

namespace SlackEmulator.Api;

/// <summary>What a method handler gets; handlers run under the state lock.</summary>
internal sealed class ApiContext
{
    public required EmulatorState State { get; init; }
    public required SlackArgs Args { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required RateLimiter RateLimits { get; init; }

    /// <summary>The caller's token; null only for methods that take client credentials instead.</summary>
    public TokenGrant? Grant { get; init; }

    /// <summary>"Basic" credentials (base64 client_id:client_secret) for oauth.v2.access.</summary>
    public string? BasicCredentials { get; init; }

    public TokenGrant Token => Grant ?? throw new InvalidOperationException("method needs a token");

    public Team Team => State.Teams[Token.TeamId];

    public SlackUser Bot => Team.Users[Token.UserId];
}
