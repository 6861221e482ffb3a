using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Accounts;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Integrations;
using SignalCraft.Jobs;
using SignalCraft.Notify;
using SignalCraft.Sources;

namespace SignalCraft.Health.Canary;

/// <summary>The workspace's canary: one job that lives while the canary is on, snoozing between looks.</summary>
public sealed record RunCanary(long WorkspaceId) : IJobArgs
{
    public static string Kind => "run_canary";

    public static string UniqueKeyFor(long workspaceId) => $"canary:{workspaceId}";
}

/// <summary>
/// Each interval, puts a probe through the real pipeline (ingest on the workspace's first integration, grouping, routing to
/// the canary target, the send job), then watches for its delivery: delivered records the round trip and resolves an open
/// "canary missed"; not delivered within <c>Canary:MissedAfter</c> raises SignalCraft's own alert (source
/// <c>signalcraft</c>), routed by the workspace's rules like heartbeats, so a Slack outage sends it to the fallback.
/// </summary>
public sealed class RunCanaryHandler(SignalCraftDbContext db, WorkspaceSettingsStore settingsStore, IngestService ingest,
    IOptions<CanaryOptions> options) : IJobHandler<RunCanary>
{
    public async Task<JobResult> HandleAsync(JobContext<RunCanary> context, CancellationToken ct)
    {
        var (workspaceId, now) = (context.Args.WorkspaceId, context.Now);
        var settings = await settingsStore.GetAsync(workspaceId, ct);
        var last = await db.Set<CanaryRun>().IgnoreQueryFilters().AsNoTracking().Where(r => r.WorkspaceId == workspaceId)
            .OrderByDescending(r => r.EnqueuedAt).ThenByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        if (last is { Status: CanaryStatus.Pending } && !await SettleAsync(last, now, ct))
        {
            var deadline = last.EnqueuedAt + options.Value.MissedAfter;
            return JobResult.Snooze(now + options.Value.PollEvery < deadline ? now + options.Value.PollEvery : deadline);
        }
        if (settings.CanaryIntervalMinutes is not { } minutes)
        {
            return JobResult.Cancel("the canary was turned off");
        }
        var due = last is null ? now : last.EnqueuedAt + TimeSpan.FromMinutes(minutes);
        if (now < due)
        {
            return JobResult.Snooze(due);
        }
        var run = await InjectAsync(settings, minutes, now, ct);
        return JobResult.Snooze(run.Status == CanaryStatus.Pending ? now + options.Value.PollEvery : now + TimeSpan.FromMinutes(minutes));
    }

    /// <summary>Decides a pending canary; false while it may still arrive.</summary>
    private async Task<bool> SettleAsync(CanaryRun run, DateTime now, CancellationToken ct)
    {
        var target = await TargetNameAsync(run.TargetId, ct);
        var sent = await db.Set<NotificationLog>().IgnoreQueryFilters().AsNoTracking()
            .Where(l => l.GroupId == run.GroupId && l.TargetId == run.TargetId && l.Status == NotificationStatus.Sent)
            .OrderBy(l => l.Id).FirstOrDefaultAsync(ct);
        if (sent is not null)
        {
            var deliveredAt = sent.FinishedAt ?? sent.StartedAt;
            // SignalCraft's own alert first, the run after: a rerun after a crash in between still resolves it once.
            if (await OpenMissedAlertAsync(run.WorkspaceId, ct) is { } missed
                && await db.Set<Integration>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(i => i.Id == missed.IntegrationId, ct) is { } integration)
            {
                await ingest.AcceptAsync(integration, CanaryAlerts.Delivered(run.Id, target, deliveredAt), ReadOnlyMemory<byte>.Empty, now, ct);
            }
            await ResolveProbeAsync(run, now, ct);
            await MarkAsync(run.Id, CanaryStatus.Delivered, null, deliveredAt, (long)(deliveredAt - run.EnqueuedAt).TotalMilliseconds, ct);
            return true;
        }
        if (now < run.EnqueuedAt + options.Value.MissedAfter)
        {
            return false;
        }
        var failure = await db.Set<NotificationLog>().IgnoreQueryFilters().AsNoTracking()
            .Where(l => l.GroupId == run.GroupId && l.TargetId == run.TargetId && l.Status == NotificationStatus.Failed)
            .OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct);
        var why = failure is null ? "no delivery attempt finished in time (queue backlog or a stopped worker)" : $"{failure.Category}: {failure.Error}";
        if (await OpenMissedAlertAsync(run.WorkspaceId, ct) is null
            && await db.Set<Integration>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(i => i.Id == run.IntegrationId, ct) is { } source)
        {
            await ingest.AcceptAsync(source, CanaryAlerts.Missed(run.Id, target, options.Value.MissedAfter, why, run.EnqueuedAt),
                ReadOnlyMemory<byte>.Empty, now, ct);
        }
        // A late probe is no use to anyone: resolving it holds its send, so a reconnect does not post stale canaries.
        await ResolveProbeAsync(run, now, ct);
        await MarkAsync(run.Id, CanaryStatus.Missed, why, null, null, ct);
        return true;
    }

    private Task MarkAsync(long runId, string status, string? detail, DateTime? deliveredAt, long? roundTripMs, CancellationToken ct) =>
        db.Set<CanaryRun>().IgnoreQueryFilters().Where(r => r.Id == runId && r.Status == CanaryStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.Detail, detail)
                .SetProperty(r => r.DeliveredAt, deliveredAt).SetProperty(r => r.RoundTripMs, roundTripMs), ct);

    private async Task<CanaryRun> InjectAsync(WorkspaceSettings settings, int minutes, DateTime now, CancellationToken ct)
    {
        var targetId = settings.CanaryDestinationId;
        var target = targetId is { } id
            ? await db.Set<NotificationTarget>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.WorkspaceId == settings.WorkspaceId, ct)
            : null;
        // The canary enters like a real alert, so it needs a source: the workspace's first enabled integration.
        var integration = await db.Set<Integration>().IgnoreQueryFilters().Where(i => i.WorkspaceId == settings.WorkspaceId && i.Enabled)
            .OrderBy(i => i.Id).FirstOrDefaultAsync(ct);
        var run = new CanaryRun { WorkspaceId = settings.WorkspaceId, TargetId = target?.Id ?? 0, IntegrationId = integration?.Id, EnqueuedAt = now };
        if (target is null || integration is null)
        {
            run.Status = CanaryStatus.Skipped;
            run.Detail = target is null ? "the canary has no target (its channel or the fallback is gone)" : "the workspace has no enabled integration to send it through";
        }
        db.Add(run);
        await db.SaveChangesAsync(ct);
        if (run.Status == CanaryStatus.Skipped)
        {
            return run;
        }
        db.ChangeTracker.Clear(); // ingest runs its own transaction on this context
        var accepted = await ingest.AcceptAsync(integration!, CanaryAlerts.Probe(run.Id, SendNotificationHandler.Describe(target!), minutes, now),
            ReadOnlyMemory<byte>.Empty, now, ct);
        run.GroupId = accepted.Changes.FirstOrDefault()?.GroupId;
        await db.Set<CanaryRun>().IgnoreQueryFilters().Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.GroupId, run.GroupId), ct);
        return run;
    }

    private Task ResolveProbeAsync(CanaryRun run, DateTime now, CancellationToken ct) =>
        db.Set<AlertGroup>().IgnoreQueryFilters().Where(g => g.Id == run.GroupId && g.Status != GroupStatus.Resolved)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.Status, GroupStatus.Resolved).SetProperty(g => g.ResolvedAt, now)
                .SetProperty(g => g.Resolution, Resolution.Source).SetProperty(g => g.UpdatedAt, now), ct);

    private Task<AlertGroup?> OpenMissedAlertAsync(long workspaceId, CancellationToken ct) =>
        db.Set<AlertGroup>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(g => g.WorkspaceId == workspaceId
            && g.Source == CanaryAlerts.OwnSource && g.Identity == CanaryAlerts.MissedIdentity && g.Status != GroupStatus.Resolved, ct);

    private async Task<string> TargetNameAsync(long targetId, CancellationToken ct) =>
        await db.Set<NotificationTarget>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(t => t.Id == targetId, ct) is { } t
            ? SendNotificationHandler.Describe(t) : "the canary target";
}

/// <summary>Bound from <c>Canary</c>.</summary>
public sealed class CanaryOptions
{
    public const string SectionName = "Canary";

    /// <summary>A canary not delivered this long after it entered is missed (<c>Canary__MissedAfter</c>).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan MissedAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a pending canary is looked for; its round trip is exact, only its report waits this long.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan PollEvery { get; set; } = TimeSpan.FromSeconds(5);
}
