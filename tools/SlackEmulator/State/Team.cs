namespace SlackEmulator.State;

/// <summary>A workspace with its users, channels and per-app bot identities.</summary>
internal sealed class Team
{
    private readonly Dictionary<string, Channel> _channels = new(StringComparer.Ordinal);

    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string Domain { get; set; }
    public Dictionary<string, SlackUser> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>Channels in creation order (conversations.list pages walk this order).</summary>
    public List<Channel> ChannelList { get; } = [];

    /// <summary>The bot user of each installed app, by app id; kept across re-installs.</summary>
    public Dictionary<string, SlackUser> BotsByApp { get; } = new(StringComparer.Ordinal);

    /// <summary>Optional per-team override of the app's interactivity Request URL.</summary>
    public string? RequestUrl { get; set; }

    /// <summary>Optional per-team override of the app's signing secret.</summary>
    public string? SigningSecret { get; set; }

    public string Url => $"https://{Domain}.slack.com/";

    public Channel? FindChannel(string id) => _channels.GetValueOrDefault(id);

    public void AddChannel(Channel channel)
    {
        _channels[channel.Id] = channel;
        ChannelList.Add(channel);
    }

    public Channel? FindChannelByName(string name)
    {
        var bare = name.TrimStart('#');
        return ChannelList.FirstOrDefault(c => !c.IsIm && string.Equals(c.Name, bare, StringComparison.Ordinal));
    }

    public SlackUser? FindUserByEmail(string email) =>
        Users.Values.FirstOrDefault(u => u.Email is not null && string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase));
}
