using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Hosting;
using SignalCraft.Integrations.Slack;
using SignalCraft.Jobs;
using SignalCraft.Notify;
using SignalCraft.Notify.Webhook;

namespace SignalCraft.Health.SlackOutage;

/// <summary>
/// The Slack outage sweep: one job for the installation, armed by a failed Slack delivery or a refused token. It lives
/// (snoozing between looks) while some connection is failing or its outage notice is still open, and ends otherwise.
/// </summary>
public sealed record CheckSlackOutages : IJobArgs
{
    public static string Kind => "check_slack_outages";

    public const string UniqueKey = "slack-outages";

    /// <summary>How often a failing connection is looked at; a notice comes at most this late after the threshold.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Tells the workspace's fallback target, once per outage, when its Slack delivery has been failing for longer than
/// <c>Notify:SlackDownNoticeAfter</c>, and once more when it works again. The connection remembers that it was told
/// (<see cref="SlackConnection.OutageToldSince"/>) so later looks during the same outage stay silent.
/// </summary>
public sealed class CheckSlackOutagesHandler(SignalCraftDbContext db, SlackOutages outages, FallbackNotices notices,
    WorkspaceSettingsStore settings, PublicUrls urls, IOptions<NotifyOptions> options, ILogger<CheckSlackOutagesHandler> logger)
    : IJobHandler<CheckSlackOutages>
{
    public async Task<JobResult> HandleAsync(JobContext<CheckSlackOutages> context, CancellationToken ct)
    {
        var now = context.Now;
        var after = options.Value.SlackDownNoticeAfter;
        var next = now + CheckSlackOutages.CheckEvery;
        var watching = false;
        foreach (var connection in await db.Set<SlackConnection>().IgnoreQueryFilters().OrderBy(c => c.Id).ToListAsync(ct))
        {
            var outage = await outages.FindAsync(connection, ct);
            if (outage is null)
            {
                if (connection.OutageToldSince is { } toldSince)
                {
                    await TellAsync(connection, new FallbackNotice(WebhookNoticeTypes.SlackRecovered,
                        $"Slack delivery to {Team(connection)} works again (it had been failing since {toldSince:yyyy-MM-dd HH:mm} UTC).",
                        Team(connection), toldSince, null, urls.For("/health/delivery")), ct);
                    connection.OutageToldSince = null; // told or not, this outage is over
                    await db.SaveChangesAsync(ct);
                }
                continue;
            }
            watching = true;
            if (connection.OutageToldSince is not null)
            {
                continue; // this outage was told already
            }
            if (now - outage.Since < after)
            {
                next = Min(next, outage.Since + after);
                continue;
            }
            var notice = new FallbackNotice(WebhookNoticeTypes.SlackDown,
                $"Slack delivery to {Team(connection)} failing since {outage.Since:yyyy-MM-dd HH:mm} UTC: {outage.Reason} — reconnect Slack or check "
                + $"Delivery Health: {urls.For("/health/delivery")}",
                Team(connection), outage.Since, outage.Reason, urls.For("/health/delivery"));
            if (await TellAsync(connection, notice, ct))
            {
                connection.OutageToldSince = outage.Since;
                await db.SaveChangesAsync(ct);
            }
        }
        return watching ? JobResult.Snooze(next) : JobResult.Success;
    }

    /// <summary>Sends to the workspace's fallback unless it has none or it lives on the failing connection itself.</summary>
    private async Task<bool> TellAsync(SlackConnection connection, FallbackNotice notice, CancellationToken ct)
    {
        var fallbackId = (await settings.GetAsync(connection.WorkspaceId, ct)).FallbackTargetId;
        var target = fallbackId is { } id
            ? await db.Set<NotificationTarget>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.WorkspaceId == connection.WorkspaceId, ct)
            : null;
        if (target is null || target.ConnectionId == connection.Id)
        {
            return false; // nobody to tell (yet): a fallback set during the outage is told at the next look
        }
        var result = await notices.SendAsync(target, notice, ct);
        if (!result.Success)
        {
            // Another look comes within a minute; the notice is not worth a retry chain of its own.
            logger.LogWarning("Could not send the {NoticeType} notice of Slack connection {ConnectionId} to the fallback: {Category}: {Reason}",
                notice.Type, connection.Id, result.Category, result.Reason);
            return false;
        }
        logger.LogInformation("Sent the {NoticeType} notice of Slack connection {ConnectionId} to the fallback of workspace {WorkspaceId}",
            notice.Type, connection.Id, connection.WorkspaceId);
        return true;
    }

    private static string Team(SlackConnection connection) => connection.TeamName ?? connection.TeamId;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}

/// <summary>
/// Arms the sweep (a no-op while it is armed) and saves at once, so callers arm it after saving their own work: a storm of
/// failed sends racing to arm it must not fail one of those sends (the loser of the race just finds it armed).
/// </summary>
public sealed class SlackOutageChecks(SignalCraftDbContext db, JobClient jobs, TimeProvider time)
{
    public async Task ArmAsync(CancellationToken ct)
    {
        await jobs.EnqueueAsync(new CheckSlackOutages(), new EnqueueOptions
        {
            Priority = JobPriority.High,
            RunAt = time.GetUtcNow().UtcDateTime + CheckSlackOutages.CheckEvery,
            UniqueKey = CheckSlackOutages.UniqueKey,
            MaxAttempts = 1000,
        }, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DuplicateJobException)
        {
            foreach (var entry in db.ChangeTracker.Entries<Job>().Where(e => e.State == EntityState.Added).ToList())
            {
                entry.State = EntityState.Detached;
            }
        }
    }
}
