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
    SlackHistory history, SlackSendBudget budget, PublicUrls urls) : ITargetNotifier
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
        return budget.TryTake(connection.TeamId, request.Target.Channel!, rank, request.JobId ?? 0);
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
            return await PostReconciledAsync(request, connection, "top", new Dictionary<string, object?>
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
        var key = $"{request.Reason}:{group.OpenCycle}:{request.JobId}";
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

    /// <summary>
    /// Posts once: if an earlier attempt of this job has no known outcome, the channel's history decides whether the
    /// message already exists (adopted) before anything is posted again.
    /// </summary>
    private async Task<NotifierResult> PostReconciledAsync(NotifyRequest request, SlackConnection connection, string key,
        Dictionary<string, object?> body, CancellationToken ct)
    {
        var channel = (string)body["channel"]!;
        var critical = request.Group.Severity == Severity.Critical;
        var possibleDuplicate = false;
        var unsettled = request.JobId is { } jobId
            ? await db.Set<NotificationLog>().IgnoreQueryFilters()
                .Where(l => l.JobId == jobId && l.TargetId == request.Target.Id && l.Attempt < request.Attempt
                    && ((l.Status == NotificationStatus.Started && l.FinishedAt == null)
                        || (l.Status == NotificationStatus.Failed && l.Error != null && l.Error.StartsWith(AmbiguousPrefix))))
                .MinAsync(l => (DateTime?)l.StartedAt, ct)
            : null;
        if (unsettled is { } since)
        {
            var (found, failure) = await history.FindAsync(connection, channel, since.AddMinutes(-1), request.Group.Id, request.Target.Id, key, ct);
            if (found is not null)
            {
                return NotifierResult.Sent(found); // the earlier attempt did post: adopt it
            }
            if (failure is not null)
            {
                // DESIGN: only a rate-limited check lets a critical page out unchecked; anything else waits (the fallback
                // covers the wait). A check refused for another reason (5xx, token_revoked) posted a second message.
                if (!critical || !failure.RateLimited)
                {
                    // Cannot rule out a copy: wait (staying ambiguous) rather than risk a duplicate.
                    var waiting = SlackErrorClassifier.Classify(failure);
                    return NotifierResult.Failed(failure.RateLimited ? FailureCategory.RateLimited : FailureCategory.Transient,
                        $"{AmbiguousPrefix}history check failed ({failure.Describe()})", waiting.RetryAfter);
                }
                possibleDuplicate = true; // a critical page goes out anyway when the check was rate limited
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
        return result with { PossibleDuplicate = possibleDuplicate && result.Success };
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
