using Microsoft.EntityFrameworkCore;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Hosting;
using SignalCraft.Integrations.Slack;
using SignalCraft.Routing;

namespace SignalCraft.Notify.Slack;

/// <summary>
/// Slack channels: one top-level message per (group, target), edited in place; a reopen, a raise to high or
/// critical and a snooze expiry with new events also post a broadcast thread reply with the mention, and an
/// escalation posts in the thread. Every post carries metadata naming the group, so an ambiguous attempt is settled
/// by reading the channel's history before posting again.
/// </summary>
public sealed class SlackTargetNotifier(SignalCraftDbContext db, SlackTokens tokens, SlackApiClient slack, SlackConversation conversation,
    SlackHistory history, SlackSendBudget budget, SlackHistoryBudget historyBudget, PublicUrls urls) : ITargetNotifier
{
    public const string AmbiguousPrefix = "ambiguous: ";

    public string Kind => "slack";

    public async Task<DateTime?> WaitForBudgetAsync(NotifyRequest request, bool isUpdate, CancellationToken ct)
    {
        if (await tokens.FindAsync(request.Target.ConnectionId, ct) is not { } connection || connection.Status == SlackConnectionStatus.Unhealthy)
        {
            return null; // no Slack call will be made: the failure (and the fallback it brings) must not wait behind a budget
        }
        var rank = isUpdate ? SendRank.Update
            : request.Existing is null && request.Group.Severity == Severity.Critical ? SendRank.CriticalFirstPost : SendRank.Post;
        if (!isUpdate && request.JobId is { } jobId && await HistoryWaitAsync(request, connection, jobId, ct) is { } historyAt)
        {
            return historyAt;
        }
        return budget.TryTake(connection.TeamId, request.Target.Channel!, rank, request.JobId ?? 0);
    }

    /// <summary>
    /// An attempt that must read the channel's history first waits for a history slot before it takes a post slot, and
    /// for Slack's Retry-After on history checks, unless it is a critical page that may still go out unchecked once.
    /// A wait is not an attempt: a burst of ambiguous posts must not use up its jobs' attempts on 429s.
    /// </summary>
    private async Task<DateTime?> HistoryWaitAsync(NotifyRequest request, SlackConnection connection, long jobId, CancellationToken ct)
    {
        var key = PostKey(request);
        if (await AmbiguousAttempts.UnsettledAsync(db, request, key, ct) is not { } unsettled
            || history.Answered(connection.TeamId, PostChannel(request), unsettled))
        {
            return null;
        }
        var critical = request.Group.Severity == Severity.Critical;
        if (historyBudget.BlockedUntil(connection.TeamId) is { } blockedUntil
            && (!critical || await AmbiguousAttempts.PostedUncheckedAsync(db, request, key, ct)))
        {
            return blockedUntil;
        }
        return historyBudget.TryTake(connection.TeamId, critical, jobId);
    }

    public async Task<NotifierResult> PostAsync(NotifyRequest request, CancellationToken ct)
    {
        var (connection, refused) = await ConnectionAsync(request, ct);
        if (connection is null)
        {
            return refused!;
        }
        var group = request.Group;
        var mention = await MentionAsync(request, connection, ct);
        if (request.Existing?.MessageRef is not { } parentTs)
        {
            var message = SlackMessageBuilder.Build(group, mention, await LinksAsync(group, request.RuleId, ct), request.Target.Id, "top");
            return await PostReconciledAsync(request, connection, AmbiguousAttempts.TopKey, new Dictionary<string, object?>
            {
                ["channel"] = request.Target.Channel, ["text"] = message.Text, ["blocks"] = message.Blocks, ["metadata"] = message.Metadata,
                ["unfurl_links"] = false, ["unfurl_media"] = false,
            }, ct);
        }

        var channel = request.Existing.MessageChannel ?? request.Target.Channel!;
        if (request.Reason != "escalation")
        {
            // Bring the parent up to date first; the reply is what wakes people.
            var updated = await UpdateAsync(request, ct);
            if (!updated.Success && !updated.Retryable)
            {
                return updated;
            }
        }
        var key = PostKey(request);
        var (text, metadata) = SlackMessageBuilder.Reply(group, request.Reason, mention, request.Target.Id, key);
        var reply = await PostReconciledAsync(request, connection, key, new Dictionary<string, object?>
        {
            ["channel"] = channel, ["thread_ts"] = parentTs, ["reply_broadcast"] = request.Reason != "escalation", ["text"] = text,
            ["metadata"] = metadata, ["unfurl_links"] = false, ["unfurl_media"] = false,
        }, ct);
        return reply.Success ? reply with { MessageRef = parentTs } : reply;
    }

    public async Task<NotifierResult> UpdateAsync(NotifyRequest request, CancellationToken ct)
    {
        if (request.Existing?.MessageRef is not { } ts)
        {
            return NotifierResult.Sent();
        }
        var (connection, refused) = await ConnectionAsync(request, ct);
        if (connection is null)
        {
            return refused!;
        }
        var channel = request.Existing.MessageChannel ?? request.Target.Channel!;
        var message = SlackMessageBuilder.Build(request.Group, "", await LinksAsync(request.Group, request.Existing.RuleId, ct), request.Target.Id, "top");
        var call = await conversation.CallAsync(connection, "chat.update", channel, token => slack.PostJsonAsync("chat.update", token,
            new Dictionary<string, object?> { ["channel"] = channel, ["ts"] = ts, ["text"] = message.Text, ["blocks"] = message.Blocks }, ct), ct);
        var result = SlackErrorClassifier.Classify(call);
        return result.Success ? NotifierResult.Sent(ts) : result;
    }

    /// <summary>The metadata key of the message a post makes: the group's top-level message, or this job's thread reply.</summary>
    private static string PostKey(NotifyRequest request) =>
        request.Existing?.MessageRef is null ? AmbiguousAttempts.TopKey : $"{request.Reason}:{request.Group.OpenCycle}:{request.JobId}";

    /// <summary>The channel a post goes to: a reply goes where its parent is.</summary>
    private static string PostChannel(NotifyRequest request) =>
        request.Existing?.MessageRef is null ? request.Target.Channel! : request.Existing.MessageChannel ?? request.Target.Channel!;

    /// <summary>
    /// Posts once: if an earlier attempt at this message has no known outcome, the channel's history decides whether the
    /// message already exists (adopted) before anything is posted again. When the check is rate limited, a critical page
    /// goes out anyway, marked as a possible duplicate (DESIGN), but only once per message: later attempts wait for the
    /// check, so one lost check cannot turn into a message per retry.
    /// </summary>
    private async Task<NotifierResult> PostReconciledAsync(NotifyRequest request, SlackConnection connection, string key,
        Dictionary<string, object?> body, CancellationToken ct)
    {
        var channel = (string)body["channel"]!;
        var possibleDuplicate = false;
        if (await AmbiguousAttempts.UnsettledAsync(db, request, key, ct) is { } unsettled)
        {
            var (found, failure) = await CheckHistoryAsync(request, connection, channel, unsettled, key, ct);
            if (found is not null)
            {
                return NotifierResult.Sent(found); // an earlier attempt did post: adopt it
            }
            if (failure is not null)
            {
                // Only a rate-limited check lets a critical page out unchecked, and only once; anything else waits (the
                // fallback covers the wait). A check refused for another reason (5xx, token_revoked) posted a second
                // message, and so did every retry whose check was rate limited again.
                if (request.Group.Severity != Severity.Critical || !failure.RateLimited
                    || await AmbiguousAttempts.PostedUncheckedAsync(db, request, key, ct))
                {
                    var waiting = SlackErrorClassifier.Classify(failure);
                    return NotifierResult.Failed(failure.RateLimited ? FailureCategory.RateLimited : FailureCategory.Transient,
                        $"{AmbiguousPrefix}history check failed ({failure.Describe()})", waiting.RetryAfter);
                }
                possibleDuplicate = true;
                await AmbiguousAttempts.MarkPostingUncheckedAsync(db, request, ct);
            }
        }
        var call = await conversation.CallAsync(connection, "chat.postMessage", channel,
            token => slack.PostJsonAsync("chat.postMessage", token, body, ct), ct);
        var result = SlackErrorClassifier.Classify(call);
        if (call.RateLimited && result.RetryAfter is { } wait)
        {
            // Slack's Retry-After holds for the channel, not only for this job: no other post goes there before it ends.
            budget.Defer(connection.TeamId, request.Target.Channel!, wait);
        }
        if (!result.Success && SlackErrorClassifier.IsAmbiguous(call))
        {
            result = result with { Reason = AmbiguousPrefix + result.Reason };
        }
        // Marked whatever the outcome: a post that timed out may still have made the copy.
        return result with { PossibleDuplicate = possibleDuplicate };
    }

    /// <summary>
    /// Reads the channel's history for the message, unless Slack's Retry-After for history checks is still running (then
    /// the answer is that 429 again, without calling Slack).
    /// </summary>
    private async Task<(string? Found, SlackCall? Failure)> CheckHistoryAsync(NotifyRequest request, SlackConnection connection, string channel,
        UnsettledAttempts unsettled, string key, CancellationToken ct)
    {
        if (!history.Answered(connection.TeamId, channel, unsettled) && historyBudget.BlockedFor(connection.TeamId) is { } blocked)
        {
            return (null, new SlackCall("conversations.history", SlackTransport.Answered, 429, false, "ratelimited", blocked, default));
        }
        var (found, failure) = await history.FindAsync(connection, channel, unsettled, request.Group.Id, request.Target.Id, key, ct);
        if (failure is { RateLimited: true })
        {
            historyBudget.Block(connection.TeamId, SlackErrorClassifier.Classify(failure).RetryAfter ?? TimeSpan.FromSeconds(1));
        }
        return (found, failure);
    }

    private async Task<(SlackConnection? Connection, NotifierResult? Refused)> ConnectionAsync(NotifyRequest request, CancellationToken ct)
    {
        var connection = await tokens.FindAsync(request.Target.ConnectionId, ct);
        if (connection is null)
        {
            return (null, NotifierResult.Failed(FailureCategory.Config, "the Slack connection of this target was removed"));
        }
        if (connection.Status == SlackConnectionStatus.Unhealthy)
        {
            return (null, NotifierResult.Failed(FailureCategory.Auth, $"Slack connection to {connection.TeamName} is unhealthy: {connection.LastError}"));
        }
        return (connection, null);
    }

    private async Task<string> MentionAsync(NotifyRequest request, SlackConnection connection, CancellationToken ct)
    {
        if (!Mention.TryParse(request.Mention, out var mention))
        {
            return "";
        }
        var links = await db.Set<SlackUserLink>().IgnoreQueryFilters().AsNoTracking()
            .Where(l => l.WorkspaceId == request.Group.WorkspaceId && l.TeamId == connection.TeamId)
            .ToDictionaryAsync(l => l.UserId, l => l.SlackUserId, ct);
        return mention.Render(request.Group.Severity, request.Group.AssigneeUserId, id => links.GetValueOrDefault(id));
    }

    private async Task<SlackMessageLinks> LinksAsync(Grouping.AlertGroup group, long? ruleId, CancellationToken ct)
    {
        var row = ruleId is null ? null : await db.Set<RoutingRule>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.Id == ruleId, ct);
        var actions = row is null ? null : RuleStore.ToDto(row, null).Actions;
        return new SlackMessageLinks(urls.For($"/alerts/{group.Id}"), actions?.RunbookUrl, actions?.QuickActions ?? []);
    }
}
