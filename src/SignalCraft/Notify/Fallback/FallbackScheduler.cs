using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Accounts;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Jobs;

namespace SignalCraft.Notify.Fallback;

/// <summary>
/// Tell the workspace's fallback target about a high or critical group whose primary <paramref name="PrimaryTargetId"/>
/// failed or stayed silent. One per (group, open cycle): the handler re-checks that the primary still has not
/// delivered and that the fallback has not been told yet.
/// </summary>
/// <param name="Reason">The primary notification's reason (opened, reopened, raised, renotified).</param>
/// <param name="Why">What went wrong with the primary, for the timeline and the log.</param>
public sealed record SendFallback(long GroupId, long PrimaryTargetId, int OpenCycle, string Reason, string? Mention, string Why) : IJobArgs
{
    public static string Kind => "send_fallback";

    public string UniqueKey => UniqueKeyFor(GroupId, OpenCycle);

    public static string UniqueKeyFor(long groupId, int openCycle) => $"fallback:{groupId}:{openCycle}";
}

/// <summary>
/// Decides when a failed primary delivery brings in the fallback (DESIGN "Targets, fallback and metrics"): at once after
/// a permanent or auth failure (which covers a connection known to be unhealthy, since such a send fails with an auth
/// failure without calling Slack), and <c>Notify:FallbackAfter</c> after the first failed attempt while retries go on.
/// </summary>
public sealed class FallbackScheduler(SignalCraftDbContext db, JobClient jobs, WorkspaceSettingsStore settings, IOptions<NotifyOptions> options)
{
    /// <summary>Only pages that would wake someone are worth a second channel.</summary>
    public static bool Deserves(AlertGroup group) => group.Severity.AtLeast(Severity.High);

    /// <summary>Arms (or hurries) the group's fallback after a failed primary attempt; saves its own unit of work.</summary>
    public async Task AfterFailureAsync(AlertGroup group, NotificationTarget primary, SendNotification args, NotifierResult result, long? jobId,
        DateTime now, CancellationToken ct)
    {
        if (!Deserves(group) || await settings.GetAsync(group.WorkspaceId, ct) is not { FallbackTargetId: { } fallbackId } workspace
            || fallbackId == primary.Id)
        {
            return;
        }
        // The option is validated below the default SLO; a workspace with a tighter SLO gets half of it, so the fallback still counts.
        var after = options.Value.FallbackAfter < workspace.DeliverySlo ? options.Value.FallbackAfter : workspace.DeliverySlo / 2;
        DateTime dueAt;
        if (!result.Retryable)
        {
            dueAt = now;
        }
        else
        {
            // Measured from the first failed attempt of this notification, so later retries do not push it back.
            var firstFailure = jobId is { } id
                ? await db.Set<NotificationLog>().IgnoreQueryFilters().Where(l => l.JobId == id && l.Status != NotificationStatus.Held)
                    .MinAsync(l => (DateTime?)l.StartedAt, ct)
                : null;
            dueAt = (firstFailure ?? now) + after;
        }
        var fallback = new SendFallback(group.Id, primary.Id, group.OpenCycle, args.Reason, args.Mention,
            $"{SendNotificationHandler.Describe(primary)} failed ({result.Category}: {result.Reason})");
        var enqueued = await jobs.EnqueueAsync(fallback, new EnqueueOptions
        {
            Priority = JobPriority.Critical,
            RunAt = dueAt,
            UniqueKey = fallback.UniqueKey,
            WorkspaceId = group.WorkspaceId,
        }, ct);
        if (enqueued.AlreadyExists && enqueued.Job.ScheduledAt > dueAt && enqueued.Job.State is JobState.Scheduled)
        {
            // A retryable failure armed it for later; a permanent one now wants it at once.
            await jobs.RescheduleByUniqueKeyAsync(fallback.UniqueKey, dueAt, ct);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DuplicateJobException)
        {
            // Another primary target of the same group armed it first: one fallback per group and cycle is the point.
            foreach (var entry in db.ChangeTracker.Entries<Job>().Where(e => e.State == EntityState.Added).ToList())
            {
                entry.State = EntityState.Detached;
            }
        }
    }
}
