using SlackEmulator.Clock;

namespace SlackEmulator.State;

/// <summary>A conversation: public or private channel, or a bot's DM with a user.</summary>
internal sealed class Channel
{
    private readonly Dictionary<string, StoredMessage> _byTs = new(StringComparer.Ordinal);
    private long _lastTsMicros;

    public required string Id { get; init; }
    public required string TeamId { get; init; }
    public required string Name { get; set; }
    public bool IsPrivate { get; init; }
    public bool IsIm { get; init; }
    public bool IsGeneral { get; init; }
    public bool IsArchived { get; set; }
    public required long Created { get; init; }
    public string Creator { get; init; } = "";
    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>Every stored message (top level, replies and ephemeral) in ts order.</summary>
    public List<StoredMessage> Messages { get; } = [];

    public bool IsPublic => !IsPrivate && !IsIm;

    public StoredMessage? Find(string? ts) => ts is not null && _byTs.TryGetValue(ts, out var m) ? m : null;

    /// <summary>
    /// The next message ts from the clock, strictly increasing within the channel (Slack's (channel, ts)
    /// pair names one message), even when the clock is frozen or set back.
    /// </summary>
    public (string Ts, long Micros) NextTs(DateTimeOffset now)
    {
        var micros = Math.Max(SlackTs.ToMicros(now), _lastTsMicros + 1);
        _lastTsMicros = micros;
        return (SlackTs.Format(micros), micros);
    }

    public void Add(StoredMessage message)
    {
        Messages.Add(message);
        _byTs[message.Ts] = message;
    }
}
