using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Integrations;
using SignalCraft.Integrations.Slack;
using SignalCraft.Jobs;
using SignalCraft.Notify;

namespace SignalCraft.Health.Delivery;

/// <summary>
/// Builds the Delivery Health report of the request's workspace from the webhook counters, the targets' and
/// connections' health, and the notification jobs. The API and the page both read it, so a row says the same in both.
/// </summary>
public sealed class DeliveryHealthQueries(SignalCraftDbContext db, CurrentWorkspace workspace, WorkspaceSettingsStore settings,
    WebhookCounters counters, Canary.CanaryQueries canaries, TimeProvider time, IOptions<DeliveryHealthOptions> options)
{
    private static readonly JobState[] Pending = [JobState.Available, JobState.Scheduled, JobState.Running, JobState.Retryable];

    public async Task<DeliveryHealthReport> ReportAsync(CancellationToken ct)
    {
        await counters.FlushAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var workspaceSettings = await settings.GetAsync(workspace.WorkspaceId, ct);
        var slo = workspaceSettings.DeliverySlo;
        var jobs = await NotificationJobsAsync(now, ct);

        var sources = await SourcesAsync(now, ct);
        var targets = await db.Set<NotificationTarget>().AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct);
        var connections = await db.Set<SlackConnection>().AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
        var checks = await db.Set<Job>().AsNoTracking()
            .Where(j => j.WorkspaceId == workspace.WorkspaceId && j.Kind == CheckSlackToken.Kind && j.AttemptedAt != null)
            .GroupBy(j => j.Args).Select(g => new { Args = g.Key, At = g.Max(j => j.AttemptedAt) }).ToListAsync(ct);
        var nextChecks = await db.Set<Job>().AsNoTracking()
            .Where(j => j.WorkspaceId == workspace.WorkspaceId && j.Kind == CheckSlackToken.Kind && Pending.Contains(j.State))
            .Select(j => new { j.Args, j.ScheduledAt }).ToListAsync(ct);
        var refused = connections.Where(c => c.Status == SlackConnectionStatus.Unhealthy).Select(c => c.Id).ToHashSet();

        TargetHealth Target(NotificationTarget t)
        {
            var pending = jobs.Pending.Where(j => j.Args.TargetId == t.Id).ToList();
            var discarded = jobs.Discarded.Where(d => d.TargetId == t.Id).Select(d => d.Dto).ToList();
            var oldest = pending.Count == 0 ? (TimeSpan?)null : now - pending.Min(j => j.CreatedAt);
            var retrying = pending.Count(j => j.State == JobState.Retryable && j.Attempt > 0);
            var name = SendNotificationHandler.Describe(t);
            var verdict = HealthVerdicts.Target(new HealthVerdicts.TargetFacts(name, t.Status, t.LastSuccessAt, t.LastFailureAt, t.LastError,
                t.ConnectionId is { } c && refused.Contains(c), pending.Count, oldest, retrying, discarded.Count), slo, now);
            return new TargetHealth(t.Id, t.Kind, name, verdict.State, verdict.Reason, t.Status, t.LastSuccessAt, t.LastFailureAt, t.LastError,
                pending.Count, oldest?.TotalSeconds is { } s ? Math.Round(s) : null, retrying, discarded);
        }

        var slack = connections.Select(c =>
        {
            var checkedAt = checks.Where(x => ArgsConnection(x.Args) == c.Id).Max(x => x.At);
            var nextAt = nextChecks.Where(x => ArgsConnection(x.Args) == c.Id).Select(x => (DateTime?)x.ScheduledAt).Min();
            var verdict = HealthVerdicts.SlackConnection(c.Status, c.LastError, c.LastErrorAt, checkedAt, now);
            return new SlackConnectionHealth(c.Id, c.TeamId, c.TeamName, verdict.State, verdict.Reason,
                c.Status == SlackConnectionStatus.Unhealthy ? "refused" : "ok", c.LastError, c.LastErrorAt, checkedAt, nextAt,
                targets.Where(t => t.Kind == "slack" && t.ConnectionId == c.Id).Select(Target).ToList());
        }).ToList();
        var webhooks = targets.Where(t => t.Kind != "slack").Select(Target).ToList();

        var lease = await db.Set<Lease>().AsNoTracking().Where(l => l.Name == JobMaintenance.LeaseName)
            .Select(l => (DateTime?)l.ExpiresAt).FirstOrDefaultAsync(ct);
        var oldestQueued = jobs.Pending.Count == 0 ? (TimeSpan?)null : now - jobs.Pending.Min(j => j.CreatedAt);
        var retryingAll = jobs.Pending.Count(j => j.State == JobState.Retryable && j.Attempt > 0);
        var queueVerdict = HealthVerdicts.Queue(jobs.Pending.Count, oldestQueued, retryingAll, lease, slo, now);
        var queue = new QueueHealth(queueVerdict.State, queueVerdict.Reason, jobs.Pending.Count,
            oldestQueued?.TotalSeconds is { } q ? Math.Round(q) : null, retryingAll,
            jobs.Discarded.Count(d => d.Dto.DiscardedAt >= now.AddHours(-24)), lease);

        var rows = sources.Select(s => (s.State, s.Reason))
            .Concat(slack.Select(c => (c.State, c.Reason)))
            .Concat(slack.SelectMany(c => c.Targets).Concat(webhooks).Select(t => (t.State, t.Reason)))
            .Append((queue.State, queue.Reason)).ToList();
        var canary = await canaries.ForAsync(workspaceSettings, now, ct);
        if (canary is not null)
        {
            rows.Add((canary.State, canary.Reason));
        }
        var state = HealthState.Worst(rows.Select(r => r.State));
        var summary = state == HealthState.Green ? "Alerts are getting through."
            : rows.Where(r => r.State == state).Select(r => r.Reason).First();
        return new DeliveryHealthReport(now, state, summary, sources, slack, webhooks, queue, canary);
    }

    private async Task<List<SourceHealth>> SourcesAsync(DateTime now, CancellationToken ct)
    {
        var (dayAgo, hourAgo) = (now.AddHours(-24), now.AddHours(-1));
        var integrations = await db.Set<Integration>().AsNoTracking().OrderBy(i => i.Id).ToListAsync(ct);
        var ids = integrations.Select(i => i.Id).ToList();
        var day = await db.Set<WebhookOutcome>().AsNoTracking().Where(o => ids.Contains(o.IntegrationId) && o.Minute >= dayAgo)
            .GroupBy(o => new { o.IntegrationId, o.Reason }).Select(g => new { g.Key.IntegrationId, g.Key.Reason, Count = g.Sum(o => o.Count) })
            .ToListAsync(ct);
        var hour = await db.Set<WebhookOutcome>().AsNoTracking().Where(o => ids.Contains(o.IntegrationId) && o.Minute >= hourAgo)
            .GroupBy(o => new { o.IntegrationId, o.Reason }).Select(g => new { g.Key.IntegrationId, g.Key.Reason, Count = g.Sum(o => o.Count) })
            .ToListAsync(ct);
        var quarantined = await db.Set<QuarantinedBody>().AsNoTracking().GroupBy(q => q.IntegrationId)
            .Select(g => new { IntegrationId = g.Key, Count = g.Count() }).ToListAsync(ct);
        var admin = workspace.IsAtLeast(WorkspaceRole.Admin);

        WebhookWindow Window(long id, IEnumerable<(long IntegrationId, string Reason, int Count)> rows)
        {
            var mine = rows.Where(r => r.IntegrationId == id).Select(r => new ReasonCount(r.Reason, r.Count)).OrderBy(r => r.Reason).ToList();
            var accepted = mine.Where(r => WebhookReasons.IsAccepted(r.Reason)).ToList();
            var rejected = mine.Where(r => !WebhookReasons.IsAccepted(r.Reason)).ToList();
            return new WebhookWindow(accepted.Sum(r => r.Count), rejected.Sum(r => r.Count), accepted, rejected);
        }

        return integrations.Select(i =>
        {
            var lastHour = Window(i.Id, hour.Select(h => (h.IntegrationId, h.Reason, h.Count)));
            var lastDay = Window(i.Id, day.Select(d => (d.IntegrationId, d.Reason, d.Count)));
            var verdict = HealthVerdicts.Source(new HealthVerdicts.SourceFacts(i.Name, i.Enabled,
                i.Mode == "signed" && i.ClientSecretProtected is null, i.CreatedAt, i.LastWebhookAt, i.ExpectedIntervalMinutes, lastHour, lastDay,
                i.LastRejectionAt, i.LastRejectionReason), now);
            return new SourceHealth(i.Id, i.Type, i.Name, i.Enabled, verdict.State, verdict.Reason, i.LastWebhookAt,
                i.LastWebhookAt is { } at ? Math.Round((now - at).TotalSeconds) : null, i.ExpectedIntervalMinutes, lastHour, lastDay,
                i.LastRejectionAt, i.LastRejectionReason, quarantined.FirstOrDefault(q => q.IntegrationId == i.Id)?.Count ?? 0,
                i.QuarantineDropped, admin ? $"/api/integrations/{i.Id}/quarantine" : null);
        }).ToList();
    }

    private sealed record PendingSend(SendNotification Args, JobState State, int Attempt, DateTime CreatedAt);

    private sealed record DiscardedSend(long TargetId, DiscardedNotification Dto);

    private sealed record NotificationJobs(List<PendingSend> Pending, List<DiscardedSend> Discarded);

    /// <summary>The workspace's send jobs that are waiting, retrying, or were discarded within the window (bounded reads).</summary>
    private async Task<NotificationJobs> NotificationJobsAsync(DateTime now, CancellationToken ct)
    {
        var ws = workspace.WorkspaceId;
        var pending = await db.Set<Job>().AsNoTracking()
            .Where(j => j.WorkspaceId == ws && j.Kind == SendNotification.Kind && Pending.Contains(j.State))
            .OrderBy(j => j.Id).Take(10_000).Select(j => new { j.Args, j.State, j.Attempt, j.CreatedAt }).ToListAsync(ct);
        var since = now - options.Value.DiscardedWindow;
        var discarded = await db.Set<Job>().AsNoTracking()
            .Where(j => j.WorkspaceId == ws && j.Kind == SendNotification.Kind && j.State == JobState.Discarded && j.FinalizedAt >= since)
            .OrderByDescending(j => j.FinalizedAt).Take(200).ToListAsync(ct);
        var discardedArgs = discarded.Select(j => (Job: j, Args: Read(j.Args))).Where(x => x.Args is not null).ToList();
        var groupIds = discardedArgs.Select(x => x.Args!.GroupId).Distinct().ToList();
        var titles = await db.Set<AlertGroup>().AsNoTracking().Where(g => groupIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Title, ct);
        return new NotificationJobs(
            pending.Select(j => (Row: j, Args: Read(j.Args))).Where(x => x.Args is not null)
                .Select(x => new PendingSend(x.Args!, x.Row.State, x.Row.Attempt, x.Row.CreatedAt)).ToList(),
            discardedArgs.Select(x => new DiscardedSend(x.Args!.TargetId, new DiscardedNotification(x.Job.Id, x.Args.GroupId,
                titles.GetValueOrDefault(x.Args.GroupId), x.Args.Reason, x.Job.Attempt, x.Job.FinalizedAt,
                JobErrors.Parse(x.Job.Errors).LastOrDefault()?.Error, NotificationRetry.PathFor(x.Job.Id)))).ToList());
    }

    private static SendNotification? Read(string args)
    {
        try
        {
            return JsonSerializer.Deserialize<SendNotification>(args, JobJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? ArgsConnection(string args)
    {
        try
        {
            return JsonSerializer.Deserialize<CheckSlackToken>(args, JobJson.Options)?.ConnectionId;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
