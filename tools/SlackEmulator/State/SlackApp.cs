namespace SlackEmulator.State;

/// <summary>
/// A Slack app: OAuth credentials, the interactivity Request URL and signing secret, and whether
/// token rotation is on. One app can be installed in many teams.
/// </summary>
internal sealed class SlackApp
{
    public required string Id { get; init; }
    public string Name { get; set; } = "SignalCraft";
    public required string ClientId { get; set; }
    public required string ClientSecret { get; set; }
    public required string SigningSecret { get; set; }
    public string VerificationToken { get; set; } = "emulator-verification-token";
    public string? RequestUrl { get; set; }
    public List<string> RedirectUrls { get; set; } = [];
    public bool RotationEnabled { get; set; }

    /// <summary>When true, GET /oauth/v2/authorize redirects at once instead of showing the Allow page.</summary>
    public bool AutoApprove { get; set; }
}
