using SignalCraft.Grouping;

namespace SignalCraft.Notify;

/// <summary>What a notifier is asked to deliver.</summary>
/// <param name="Reason">Why: opened, reopened, raised, renotified, escalation, updated.</param>
/// <param name="Existing">The group's top-level message on this target, when one was already posted.</param>
/// <param name="RuleName">The rule that routed it, if any.</param>
/// <param name="Mention">The rule's mention in the one grammar (rendered per target kind).</param>
/// <param name="RuleId">The routing rule (for its runbook and quick actions), when known.</param>
/// <param name="JobId">The job making the attempt: its earlier attempts without an outcome make this one ambiguous.</param>
public sealed record NotifyRequest(
    AlertGroup Group, NotificationTarget Target, GroupNotification? Existing, string Reason, string? RuleName, string? Mention,
    int Attempt, DateTime StartedAt, long? RuleId = null, long? JobId = null)
{
    /// <summary>Set when this is a fallback delivery: what went wrong with the primary target.</summary>
    public string? FallbackFor { get; init; }

    /// <summary>
    /// This attempt's NotificationLog row (committed before the notifier is called), so the notifier can put on record
    /// what it is about to do before it does it (a post that may duplicate an earlier one).
    /// </summary>
    public long? LogId { get; init; }
}

/// <summary>
/// Delivers to one kind of target (webhook, Slack). Returns a classified <see cref="NotifierResult"/>, never throws for
/// a delivery failure, and never puts a secret (token, URL) in a result.
/// </summary>
public interface ITargetNotifier
{
    string Kind { get; }

    /// <summary>A new top-level notification, or a re-notification (thread reply where the target has threads).</summary>
    Task<NotifierResult> PostAsync(NotifyRequest request, CancellationToken ct);

    /// <summary>Brings the existing message up to date (edit in place where the target supports it).</summary>
    Task<NotifierResult> UpdateAsync(NotifyRequest request, CancellationToken ct);

    /// <summary>
    /// The target's send budget: null to go now (the slot is taken), else when to come back. Called before the attempt
    /// is logged; a wait is not a failed attempt.
    /// </summary>
    Task<DateTime?> WaitForBudgetAsync(NotifyRequest request, bool isUpdate, CancellationToken ct) => Task.FromResult<DateTime?>(null);
}
