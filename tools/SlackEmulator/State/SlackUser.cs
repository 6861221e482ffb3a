namespace SlackEmulator.State;

/// <summary>A workspace member; bot users are created per app installation.</summary>
internal sealed class SlackUser
{
    public required string Id { get; init; }
    public required string TeamId { get; init; }
    public required string Name { get; set; }
    public string RealName { get; set; } = "";
    public string? Email { get; set; }
    public bool IsBot { get; init; }
    public string? BotId { get; init; }
    public string? AppId { get; init; }
    public bool Deleted { get; set; }
}
