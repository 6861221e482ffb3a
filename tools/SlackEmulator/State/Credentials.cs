namespace SlackEmulator.State;

/// <summary>An access token and what it may do. Bot tokens belong to one (team, app) installation.</summary>
internal sealed class TokenGrant
{
    public required string Token { get; init; }
    public required string TeamId { get; init; }
    public required string AppId { get; init; }
    public required string UserId { get; init; }
    public string? BotId { get; init; }
    public string TokenType { get; init; } = "bot";
    public required IReadOnlyList<string> Scopes { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The error every call gets once the token is revoked (token_revoked or account_inactive).</summary>
    public string? RevokedError { get; set; }

    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);

    public string ScopeList => string.Join(',', Scopes);
}

/// <summary>A rotation refresh token: single use; each refresh issues a new pair.</summary>
internal sealed class RefreshGrant
{
    public required string RefreshToken { get; init; }
    public required string TeamId { get; init; }
    public required string AppId { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    public required string AuthedUserId { get; init; }
    public bool Used { get; set; }
}

/// <summary>An OAuth authorization code: single use, expires 10 minutes after issue.</summary>
internal sealed class AuthCode
{
    public required string Code { get; init; }
    public required string AppId { get; init; }
    public required string TeamId { get; init; }
    public required string UserId { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    public string? RedirectUri { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public bool Used { get; set; }
}
