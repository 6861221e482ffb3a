using System.Text.RegularExpressions;
using SignalCraft.Alerts;

namespace SignalCraft.Routing;

/// <summary>
/// The one mention grammar used everywhere: <c>auto</c> (<c>@here</c> for high and critical, nothing below) |
/// <c>here</c> | <c>channel</c> | <c>none</c> | <c>assignee</c> (the assignee's linked Slack user, else <c>@here</c>) |
/// <c>user:&lt;SignalCraft user id&gt;</c> | a raw Slack mention (<c>&lt;@U123&gt;</c>, <c>&lt;!subteam^S1&gt;</c>).
/// </summary>
public sealed partial record Mention(string Kind, string? Value)
{
    public const string Grammar =
        "Use auto, here, channel, none, assignee, user:<SignalCraft user id>, or a raw Slack mention such as <@U123> or <!subteam^S1>.";

    public static bool TryParse(string? text, out Mention mention)
    {
        var t = (text ?? "auto").Trim();
        mention = t switch
        {
            "auto" or "here" or "channel" or "none" or "assignee" => new Mention(t, null),
            _ when t.StartsWith("user:", StringComparison.Ordinal) && t.Length > 5 => new Mention("user", t[5..]),
            _ when RawSlackMention().IsMatch(t) => new Mention("raw", t),
            _ => new Mention("invalid", t),
        };
        return mention.Kind != "invalid";
    }

    /// <summary>
    /// The Slack text for this mention. <paramref name="slackUserOf"/> maps a SignalCraft user id to its linked Slack
    /// user id (null when not linked).
    /// </summary>
    public string Render(Severity severity, string? assigneeUserId, Func<string, string?> slackUserOf) => Kind switch
    {
        "auto" => severity.AtLeast(Severity.High) ? "<!here>" : "",
        "here" => "<!here>",
        "channel" => "<!channel>",
        "none" => "",
        "assignee" => assigneeUserId is not null && slackUserOf(assigneeUserId) is { } slackId ? $"<@{slackId}>" : "<!here>",
        "user" => slackUserOf(Value!) is { } linked ? $"<@{linked}>" : "<!here>",
        "raw" => Value!,
        _ => "",
    };

    [GeneratedRegex(@"^<(@[UW][A-Z0-9]+|!subteam\^[A-Z0-9]+|!here|!channel|!everyone)(\|[^>]*)?>$")]
    private static partial Regex RawSlackMention();
}
