using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Notify;
using SignalCraft.Routing;

namespace SignalCraft.Inbox;

/// <summary>One delivery attempt of a group's notification, as the incident page lists it.</summary>
public sealed record DeliveryItem(DateTime At, string TargetKind, string Target, string Kind, string Status, string? Error, bool IsFallback);

/// <summary>The one top-level message of a group on a target (Slack: channel and ts).</summary>
public sealed record MessageItem(long TargetId, string TargetKind, string Target, string? Channel, string? MessageRef, DateTime? FirstSentAt,
    long? ConnectionId);

/// <summary>What the incident page shows about delivery: attempts, messages, and the matched rules' runbook and quick actions.</summary>
public sealed record GroupDeliverySummary(
    IReadOnlyList<DeliveryItem> Attempts, IReadOnlyList<MessageItem> Messages, IReadOnlyList<string> Rules, string? RunbookUrl,
    IReadOnlyList<QuickAction> QuickActions);

/// <summary>
/// Reads a group's notifications (the NotificationLog and the one message per target) and the routing rules that sent
/// them. Runs under the request's workspace filter.
/// </summary>
public sealed class GroupDeliveries(SignalCraftDbContext db, RuleStore rules)
{
    public async Task<GroupDeliverySummary> ForGroupAsync(long groupId, CancellationToken ct)
    {
        var log = await db.Set<NotificationLog>().AsNoTracking().Where(l => l.GroupId == groupId)
            .OrderByDescending(l => l.StartedAt).ThenByDescending(l => l.Id).Take(100).ToListAsync(ct);
        var messages = await db.Set<GroupNotification>().AsNoTracking().Where(n => n.GroupId == groupId).OrderBy(n => n.Id).ToListAsync(ct);
        var targetIds = log.Select(l => l.TargetId).Concat(messages.Select(m => m.TargetId)).Distinct().ToList();
        var targets = await db.Set<NotificationTarget>().AsNoTracking().Where(t => targetIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);

        string Kind(long id) => targets.TryGetValue(id, out var t) ? t.Kind : "target";
        string Label(long id) => targets.TryGetValue(id, out var t)
            ? t.Kind == "slack" ? "#" + (t.Channel ?? "?") : t.UrlMasked ?? "webhook"
            : $"target {id}";

        var attempts = log.Select(l => new DeliveryItem(l.FinishedAt ?? l.StartedAt, Kind(l.TargetId), Label(l.TargetId), l.Kind, l.Status,
            l.Error, l.IsFallback)).ToList();
        var items = messages.Select(m => new MessageItem(m.TargetId, Kind(m.TargetId), Label(m.TargetId), m.MessageChannel, m.MessageRef,
            m.FirstSentAt, targets.TryGetValue(m.TargetId, out var t) ? t.ConnectionId : null)).ToList();

        var ruleNames = new List<string>();
        string? runbook = null;
        var quick = new List<QuickAction>();
        var ruleIds = messages.Where(m => m.RuleId != null).Select(m => m.RuleId!.Value).Distinct().ToList();
        var matched = ruleIds.Count == 0 ? [] : (await rules.ListAsync(ct)).Where(r => r.Id is { } id && ruleIds.Contains(id)).ToList();
        foreach (var rule in matched)
        {
            {
                ruleNames.Add(rule.Name);
                runbook ??= rule.Actions.RunbookUrl;
                quick.AddRange(rule.Actions.QuickActions.Where(q => quick.All(o => o.Url != q.Url)));
            }
        }
        return new GroupDeliverySummary(attempts, items, ruleNames, runbook, quick);
    }
}

/// <summary>
/// Turns a posted message into a link a person can open (Slack implements it with its permalink); the incident page
/// shows the link of every registered resolver that answers.
/// </summary>
public interface IMessageLinkResolver
{
    Task<string?> LinkAsync(MessageItem message, CancellationToken ct);
}
