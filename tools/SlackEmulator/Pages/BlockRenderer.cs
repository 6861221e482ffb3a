using System.Text;
using System.Text.Json;
using SlackEmulator.Interactivity;
using SlackEmulator.State;
using static SlackEmulator.Pages.PageLayout;

namespace SlackEmulator.Pages;

/// <summary>
/// Lays out stored blocks roughly as Slack does. Every interactive element is a small form posting to
/// the channel's click route, so a click works without JavaScript (a select submits on change).
/// </summary>
internal sealed class BlockRenderer(Team team, Channel channel, StoredMessage message, string? viewerId)
{
    private string ClickAction => $"/_emulator/channels/{Uri.EscapeDataString(team.Id)}/{Uri.EscapeDataString(channel.Id)}/click";

    public string Render()
    {
        if (message.Blocks is not { ValueKind: JsonValueKind.Array } blocks || blocks.GetArrayLength() == 0)
        {
            return $"<div class=\"block text\">{Mrkdwn.ToHtml(message.Text, team)}</div>";
        }

        var sb = new StringBuilder();
        foreach (var block in blocks.EnumerateArray())
        {
            sb.Append(Block(block));
        }

        return sb.ToString();
    }

    private string Block(JsonElement block)
    {
        var blockId = Str(block, "block_id") ?? "";
        return Str(block, "type") switch
        {
            "header" => $"<h3 class=\"block header\">{Text(block, "text")}</h3>",
            "section" => Section(block, blockId),
            "context" => $"<div class=\"block context\">{string.Join(" · ", Elements(block).Select(ContextElement))}</div>",
            "actions" => $"<div class=\"block actions\">{string.Concat(Elements(block).Select(e => Element(e, blockId)))}</div>",
            "divider" => "<hr>",
            "image" => $"<div class=\"block meta\">[image: {E(Str(block, "alt_text"))}]</div>",
            "markdown" => $"<div class=\"block\">{Mrkdwn.ToHtml(Str(block, "text"), team)}</div>",
            var other => $"<div class=\"block meta\">[{E(other)} block]</div>",
        };
    }

    private string Section(JsonElement block, string blockId)
    {
        var sb = new StringBuilder("<div class=\"block section\">");
        if (block.TryGetProperty("text", out _))
        {
            sb.Append($"<div>{Text(block, "text")}</div>");
        }

        if (block.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array)
        {
            sb.Append("<div class=\"fields\">");
            foreach (var field in fields.EnumerateArray())
            {
                sb.Append($"<div>{TextObject(field)}</div>");
            }

            sb.Append("</div>");
        }

        if (block.TryGetProperty("accessory", out var accessory))
        {
            sb.Append($"<div class=\"accessory\">{Element(accessory, blockId)}</div>");
        }

        return sb.Append("</div>").ToString();
    }

    private string ContextElement(JsonElement element) =>
        Str(element, "type") == "image" ? $"[{E(Str(element, "alt_text"))}]" : TextObject(element);

    private string Element(JsonElement element, string blockId)
    {
        var type = Str(element, "type");
        var actionId = Str(element, "action_id") ?? "";
        var hidden = Hidden("ts", message.Ts) + Hidden("action_id", actionId) + Hidden("block_id", blockId) + Hidden("user", viewerId);
        switch (type)
        {
            case "button":
                var style = Str(element, "style") is { } s ? $" class=\"{E(s)}\"" : "";
                var confirm = element.TryGetProperty("confirm", out var c)
                    ? $" onclick=\"return confirm({E(JsonSerializer.Serialize(ConfirmText(c)))})\""
                    : "";
                var link = Str(element, "url") is { } url
                    ? $" <a href=\"{E(url)}\" target=\"_blank\" rel=\"noopener noreferrer\" title=\"{E(url)}\">↗</a>"
                    : "";
                return $"<form method=\"post\" action=\"{ClickAction}\">{hidden}<button type=\"submit\"{style}{confirm} " +
                       $"data-action-id=\"{E(actionId)}\">{Text(element, "text")}</button>{link}</form>";
            case "static_select" or "overflow":
                var placeholder = type == "overflow" ? "⋯" : element.TryGetProperty("placeholder", out var p) ? Str(p, "text") : "Choose…";
                var sb = new StringBuilder($"<form method=\"post\" action=\"{ClickAction}\">{hidden}");
                sb.Append($"<select name=\"selected\" data-action-id=\"{E(actionId)}\" onchange=\"this.form.submit()\">");
                sb.Append($"<option value=\"\" disabled selected>{E(placeholder)}</option>");
                foreach (var option in ActionLookup.Options(element))
                {
                    sb.Append($"<option value=\"{E(Str(option, "value"))}\">{Text(option, "text")}</option>");
                }

                return sb.Append("</select><noscript><button type=\"submit\">Go</button></noscript></form>").ToString();
            default:
                return $"<span class=\"meta\">[{E(type)}]</span>";
        }
    }

    private static string ConfirmText(JsonElement confirm)
    {
        var title = confirm.TryGetProperty("title", out var t) ? Str(t, "text") : null;
        var text = confirm.TryGetProperty("text", out var x) ? Str(x, "text") : null;
        return string.Join("\n\n", new[] { title, text }.Where(v => !string.IsNullOrEmpty(v)));
    }

    private string Text(JsonElement owner, string property) =>
        owner.TryGetProperty(property, out var obj) ? TextObject(obj) : "";

    private string TextObject(JsonElement obj) =>
        Str(obj, "type") == "mrkdwn" ? Mrkdwn.ToHtml(Str(obj, "text"), team) : Mrkdwn.Plain(Str(obj, "text"));

    private static IEnumerable<JsonElement> Elements(JsonElement block) =>
        block.TryGetProperty("elements", out var e) && e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : [];

    private static string Hidden(string name, string? value) => $"<input type=\"hidden\" name=\"{name}\" value=\"{E(value)}\">";

    private static string? Str(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
}
