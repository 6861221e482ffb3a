using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using SlackEmulator.State;

namespace SlackEmulator.Pages;

/// <summary>
/// Renders Slack's basic mrkdwn as HTML: &lt;…&gt; entities (links, @user, #channel, @here), *bold*,
/// _italic_, ~strike~, `code`, ```pre```, line breaks and a few common emoji codes. Everything
/// else is shown as encoded text, so message content can never inject markup into the page.
/// </summary>
internal static partial class Mrkdwn
{
    private static readonly Dictionary<string, string> Emoji = new(StringComparer.Ordinal)
    {
        ["red_circle"] = "🔴", ["large_orange_circle"] = "🟠", ["large_yellow_circle"] = "🟡",
        ["large_green_circle"] = "🟢", ["large_blue_circle"] = "🔵", ["white_check_mark"] = "✅",
        ["warning"] = "⚠️", ["rotating_light"] = "🚨", ["fire"] = "🔥", ["zzz"] = "💤", ["bell"] = "🔔",
        ["no_bell"] = "🔕", ["hourglass"] = "⌛", ["x"] = "❌", ["information_source"] = "ℹ️",
        ["arrow_up"] = "⬆️", ["repeat"] = "🔁", ["mag"] = "🔍", ["book"] = "📖", ["eyes"] = "👀",
    };

    public static string ToHtml(string? text, Team team)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder();
        var pos = 0;
        foreach (Match m in EntityPattern().Matches(text))
        {
            sb.Append(Format(text[pos..m.Index]));
            sb.Append(Entity(m.Groups[1].Value, team));
            pos = m.Index + m.Length;
        }

        sb.Append(Format(text[pos..]));
        return sb.ToString();
    }

    /// <summary>plain_text objects: no markup, but emoji codes still show.</summary>
    public static string Plain(string? text) => ReplaceEmoji(WebUtility.HtmlEncode(text ?? ""));

    private static string Format(string segment)
    {
        // Slack escapes only &, < and >; undo that, then encode for HTML before adding any tags.
        var raw = segment.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal);
        var html = WebUtility.HtmlEncode(raw);
        html = PrePattern().Replace(html, "<pre>$1</pre>");
        html = CodePattern().Replace(html, "<code>$1</code>");
        html = BoldPattern().Replace(html, "<b>$1</b>");
        html = ItalicPattern().Replace(html, "<i>$1</i>");
        html = StrikePattern().Replace(html, "<s>$1</s>");
        return ReplaceEmoji(html).Replace("\n", "<br>", StringComparison.Ordinal);
    }

    private static string Entity(string inner, Team team)
    {
        var bar = inner.IndexOf('|', StringComparison.Ordinal);
        var target = bar < 0 ? inner : inner[..bar];
        var label = bar < 0 ? null : inner[(bar + 1)..];
        string shown;
        if (target.StartsWith('@'))
        {
            shown = "@" + (team.Users.GetValueOrDefault(target[1..])?.Name ?? label ?? target[1..]);
        }
        else if (target.StartsWith('#'))
        {
            shown = "#" + (label ?? team.FindChannel(target[1..])?.Name ?? target[1..]);
        }
        else if (target.StartsWith('!'))
        {
            var special = target[1..];
            shown = special.StartsWith("subteam^", StringComparison.Ordinal) ? "@" + (label ?? special[8..])
                : special.StartsWith("date^", StringComparison.Ordinal) ? label ?? special
                : "@" + special;
        }
        else if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                 || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                 || target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return $"<a href=\"{WebUtility.HtmlEncode(target)}\" target=\"_blank\" rel=\"noopener noreferrer\">{WebUtility.HtmlEncode(label ?? target)}</a>";
        }
        else
        {
            shown = label ?? target;
        }

        return $"<span class=\"mention\">{WebUtility.HtmlEncode(shown)}</span>";
    }

    private static string ReplaceEmoji(string html) =>
        EmojiPattern().Replace(html, m => Emoji.TryGetValue(m.Groups[1].Value, out var e) ? e : m.Value);

    [GeneratedRegex("<([^<>]+)>")]
    private static partial Regex EntityPattern();

    [GeneratedRegex("```(.+?)```", RegexOptions.Singleline)]
    private static partial Regex PrePattern();

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"(?<![\w*])\*([^*\n]+)\*(?![\w*])")]
    private static partial Regex BoldPattern();

    [GeneratedRegex(@"(?<![\w])_([^_\n]+)_(?![\w])")]
    private static partial Regex ItalicPattern();

    [GeneratedRegex(@"(?<![\w~])~([^~\n]+)~(?![\w~])")]
    private static partial Regex StrikePattern();

    [GeneratedRegex(":([a-z0-9_+-]+):")]
    private static partial Regex EmojiPattern();
}
