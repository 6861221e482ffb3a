namespace SlackEmulator;

/// <summary>Configuration section "Emulator".</summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>
    /// Base URL used in response_url values and links; empty means "the address the request came in on".
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long the emulator waits for the app to answer an interactivity callback.</summary>
    public int CallbackTimeoutSeconds { get; set; } = 10;

    /// <summary>Upper bound for an injected "timeout" hang, so a forgotten rule cannot hang a run.</summary>
    public int MaxHangSeconds { get; set; } = 120;

    /// <summary>Kept API-call records; the oldest are dropped beyond this (benchmarks post thousands).</summary>
    public int MaxCallLogEntries { get; set; } = 50_000;

    public SeedOptions Seed { get; set; } = new();
}

/// <summary>
/// The demo workspace created at start and after every reset (unless disabled), so the demo and a
/// developer can post without calling the control API first.
/// </summary>
public sealed class SeedOptions
{
    public bool Enabled { get; set; } = true;
    public string TeamId { get; set; } = "T0DEMO";
    public string TeamName { get; set; } = "SignalCraft Demo";
    public string Domain { get; set; } = "signalcraft-demo";

    /// <summary>Channels as "id:name" (e.g. "C0ALERTS:alerts") or just a name.</summary>
    public List<string> Channels { get; set; } = [];

    /// <summary>Users as "id:name:email" (e.g. "U0ALICE:alice:alice@example.com").</summary>
    public List<string> Users { get; set; } = [];

    public string BotToken { get; set; } = "xoxb-emulator-demo-token";
    public string BotScopes { get; set; } =
        "chat:write,chat:write.public,channels:read,groups:read,channels:join,channels:history,groups:history,users:read,users:read.email";

    /// <summary>When true the bot token is a member of every seeded channel.</summary>
    public bool BotJoinsChannels { get; set; } = true;

    public string AppId { get; set; } = "A0EMULATOR";
    public string AppName { get; set; } = "SignalCraft";
    public string ClientId { get; set; } = "emulator-client-id";
    public string ClientSecret { get; set; } = "emulator-client-secret";
    public string SigningSecret { get; set; } = "emulator-signing-secret";
    public string? RequestUrl { get; set; }
    public List<string> RedirectUrls { get; set; } = [];
    public bool RotationEnabled { get; set; }
}
