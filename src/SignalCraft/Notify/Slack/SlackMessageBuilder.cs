using System.Globalization;
using SignalCraft.Alerts;
using SignalCraft.Grouping;
using SignalCraft.Routing;

namespace SignalCraft.Notify.Slack;

/// <summary>What a group's message links to, besides itself.</summary>
public sealed record SlackMessageLinks(string IncidentUrl, string? RunbookUrl, IReadOnlyList<QuickAction> QuickActions);

/// <summary>A rendered message: the notification <c>text</c>, the Block Kit blocks and the metadata naming the group.</summary>
public sealed record SlackMessage(string Text, IReadOnlyList<object> Blocks, object Metadata);

/// <summary>
/// Renders a group as one Slack message within Block Kit's limits (reference §4.2): header, state and mention, fields,
/// who did what, URL buttons and the Ack / Snooze / Resolve buttons (only those that apply). The fallback
/// <c>text</c> is what a phone's lock screen shows, so it leads with severity and title.
/// </summary>
public static class SlackMessageBuilder
{
    public const string MetadataType = "signalcraft_alert";
    public const string AckAction = "sc_ack";
    public const string ResolveAction = "sc_resolve";
    public const string SnoozePrefix = "sc_snooze_";
    public static readonly int[] SnoozeMinutes = [60, 240, 1440];

    public static SlackMessage Build(AlertGroup group, string mention, SlackMessageLinks links, long targetId, string metadataKey)
    {
        // A block_id must be new in each version of a message, or Slack keeps the old element state.
        var version = group.UpdatedAt.Ticks.ToString(CultureInfo.InvariantCulture)[^8..];
        var blocks = new List<object>
        {
            new { type = "header", block_id = $"h{version}", text = Plain(Cut($"{Icon(group)} [{group.Severity.ToApi().ToUpperInvariant()}] {group.Title}", 150)) },
            new
            {
                type = "section", block_id = $"s{version}",
                text = Markdown(Cut($"{StateLine(group)}{(mention.Length > 0 ? " " + mention : "")}", 3000)),
                fields = Fields(group),
            },
        };
        if (Who(group) is { Length: > 0 } who)
        {
            blocks.Add(new { type = "context", block_id = $"c{version}", elements = new object[] { Markdown(Cut(who, 3000)) } });
        }
        blocks.Add(new { type = "actions", block_id = $"a{version}", elements = Buttons(group, links) });
        var text = Cut($"[{group.Severity.ToApi().ToUpperInvariant()}] {Escape(group.Title)} · {Escape(Where(group))} · {Events(group.Count)}"
            + (group.Status == GroupStatus.Open ? "" : $" · {StatusWord(group)}") + (mention.Length > 0 ? " " + mention : ""), 3900);
        return new SlackMessage(text, blocks, Metadata(group, targetId, metadataKey));
    }

    /// <summary>The thread reply of a reopen, a raise, a snooze expiry or an escalation: it carries the mention, because an edit wakes nobody.</summary>
    public static (string Text, object Metadata) Reply(AlertGroup group, string reason, string mention, long targetId, string metadataKey)
    {
        var what = reason switch
        {
            NotificationReasons.Reopened => "Reopened",
            NotificationReasons.Raised => $"Severity raised to {group.Severity.ToApi()}",
            NotificationReasons.Renotified => "Snooze ended with new events",
            "escalation" => "Escalated: still not acknowledged",
            _ => "Updated",
        };
        var text = Escape($"{what}: [{group.Severity.ToApi().ToUpperInvariant()}] {group.Title} · {Events(group.Count)}") + (mention.Length > 0 ? " " + mention : "");
        return (Cut(text, 3900), Metadata(group, targetId, metadataKey));
    }

    private static object Metadata(AlertGroup group, long targetId, string key) => new
    {
        event_type = MetadataType,
        event_payload = new { workspace_id = group.WorkspaceId, group_id = group.Id, target_id = targetId, key },
    };

    private static object[] Fields(AlertGroup group)
    {
        var fields = new List<object>
        {
            Markdown($"*Project*\n{Escape(group.Project ?? "—")}"),
            Markdown($"*Environment*\n{Escape(group.Environment ?? "—")}"),
            Markdown($"*Events*\n{group.Count.ToString(CultureInfo.InvariantCulture)}"),
            Markdown($"*Severity*\n{group.Severity.ToApi()}"),
            Markdown($"*First seen*\n{Time(group.FirstSeenAt)}"),
            Markdown($"*Last seen*\n{Time(group.LastSeenAt)}"),
        };
        return [.. fields];
    }

    private static object[] Buttons(AlertGroup group, SlackMessageLinks links)
    {
        var buttons = new List<object>();
        var value = group.Id.ToString(CultureInfo.InvariantCulture);
        if (group.Status != GroupStatus.Resolved)
        {
            if (group.Status != GroupStatus.Acknowledged)
            {
                buttons.Add(new { type = "button", action_id = AckAction, text = Plain("Ack"), style = "primary", value });
            }
            foreach (var minutes in SnoozeMinutes)
            {
                buttons.Add(new { type = "button", action_id = $"{SnoozePrefix}{minutes}", text = Plain($"Snooze {minutes / 60} h"), value });
            }
            buttons.Add(new { type = "button", action_id = ResolveAction, text = Plain("Resolve"), style = "danger", value });
        }
        AddLink(buttons, "sc_link_incident", "Open in SignalCraft", links.IncidentUrl);
        AddLink(buttons, "sc_link_source", "View in source", group.Link);
        AddLink(buttons, "sc_link_runbook", "Runbook", links.RunbookUrl);
        for (var i = 0; i < links.QuickActions.Count && buttons.Count < 25; i++)
        {
            AddLink(buttons, $"sc_link_q{i}", links.QuickActions[i].Label, links.QuickActions[i].Url);
        }
        return [.. buttons.Take(25)];
    }

    private static void AddLink(List<object> buttons, string actionId, string label, string? url)
    {
        if (url is { Length: > 0 and <= 3000 } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            buttons.Add(new { type = "button", action_id = actionId, text = Plain(Cut(label, 75)), url });
        }
    }

    private static string StateLine(AlertGroup group) => group.Status switch
    {
        GroupStatus.Resolved => $":white_check_mark: *Resolved*{(group.ResolvedAt is { } at ? $" at {Time(at)}" : "")}",
        GroupStatus.Acknowledged => $":eyes: *Acknowledged* by {Escape(group.AcknowledgedBy ?? "someone")}",
        GroupStatus.Snoozed => $":zzz: *Snoozed* until {(group.SnoozedUntil is { } until ? Time(until) : "later")}",
        _ => group.ReopenCount > 0 ? ":rotating_light: *Open* (reopened)" : ":rotating_light: *Open*",
    };

    private static string StatusWord(AlertGroup group) => group.Status switch
    {
        GroupStatus.Acknowledged => $"Acknowledged by {group.AcknowledgedBy}",
        GroupStatus.Snoozed => "Snoozed",
        GroupStatus.Resolved => "Resolved",
        _ => group.Status,
    };

    private static string Who(AlertGroup group)
    {
        var parts = new List<string>();
        if (group.AcknowledgedBy is { } by)
        {
            parts.Add($"Acknowledged by {Escape(by)}{(group.AcknowledgedAt is { } at ? $" at {Time(at)}" : "")}");
        }
        if (group.AssigneeName is { } assignee)
        {
            parts.Add($"Assigned to {Escape(assignee)}");
        }
        if (group.Flapping)
        {
            parts.Add("Flapping: updates in place");
        }
        if (group.ReopenCount > 0)
        {
            parts.Add($"Reopened {group.ReopenCount}×");
        }
        return string.Join(" · ", parts);
    }

    private static string Icon(AlertGroup group) => group.Status == GroupStatus.Resolved ? "✅" : group.Severity switch
    {
        Severity.Critical => "🔴",
        Severity.High => "🟠",
        Severity.Med => "🟡",
        _ => "🔵",
    };

    private static string Where(AlertGroup group) => string.Join(" / ", new[] { group.Project, group.Environment }.Where(s => !string.IsNullOrEmpty(s)));

    private static string Events(int count) => count == 1 ? "1 event" : $"{count} events";

    private static string Time(DateTime at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static object Plain(string text) => new { type = "plain_text", text, emoji = true };

    private static object Markdown(string text) => new { type = "mrkdwn", text };

    /// <summary>mrkdwn needs only &amp;, &lt; and &gt; escaped (reference §4.1).</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
