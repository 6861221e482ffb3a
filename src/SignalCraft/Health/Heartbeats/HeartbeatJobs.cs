using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Integrations;
using SignalCraft.Jobs;
using SignalCraft.Sources;

namespace SignalCraft.Health.Heartbeats;

/// <summary>
/// The heartbeat sweep: one job for the whole installation that looks at every integration with an
/// <c>expectedIntervalMinutes</c> each <c>Heartbeats:CheckEvery</c>. It lives while any such integration exists (it snoozes
/// between looks, using up no attempt) and ends when none is left; setting an interval arms it again.
/// </summary>
public sealed record CheckHeartbeats : IJobArgs
{
    public static string Kind => "check_heartbeats";

    public const string UniqueKey = "heartbeats";
}

/// <summary>
/// A source silent for longer than its expected interval raises SignalCraft's own alert (source <c>signalcraft</c>) on that
/// integration, through the normal ingest, grouping and routing; the source's first webhook after it resolves it.
/// </summary>
public sealed class CheckHeartbeatsHandler(SignalCraftDbContext db, IngestService ingest, IOptions<HeartbeatOptions> options)
    : IJobHandler<CheckHeartbeats>
{
    public const string Source = "signalcraft";
    public const string SilentIdentity = "heartbeat:silent";

    public async Task<JobResult> HandleAsync(JobContext<CheckHeartbeats> context, CancellationToken ct)
    {
        var now = context.Now;
        var watched = await db.Set<Integration>().IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.ExpectedIntervalMinutes != null && i.Enabled).ToListAsync(ct);
        if (watched.Count == 0)
        {
            return JobResult.Success; // nothing to watch: armed again when an interval is set
        }
        var ids = watched.Select(i => i.Id).ToList();
        var raised = await db.Set<AlertGroup>().IgnoreQueryFilters().AsNoTracking()
            .Where(g => ids.Contains(g.IntegrationId) && g.Source == Source && g.Identity == SilentIdentity && g.Status != GroupStatus.Resolved)
            .Select(g => new { g.IntegrationId, g.OpenedAt }).ToListAsync(ct);
        foreach (var integration in watched)
        {
            var heardAt = integration.LastWebhookAt ?? integration.CreatedAt;
            var expected = TimeSpan.FromMinutes(integration.ExpectedIntervalMinutes!.Value);
            var open = raised.FirstOrDefault(r => r.IntegrationId == integration.Id);
            if (open is null && now - heardAt > expected)
            {
                await ingest.AcceptAsync(integration, Silent(integration, heardAt, expected), ReadOnlyMemory<byte>.Empty, now, ct);
            }
            else if (open is not null && integration.LastWebhookAt is { } last && now - last <= expected)
            {
                await ingest.AcceptAsync(integration, Heard(integration, last), ReadOnlyMemory<byte>.Empty, now, ct);
            }
            db.ChangeTracker.Clear();
        }
        return JobResult.Snooze(now + options.Value.CheckEvery);
    }

    private static NormalizedAlert Silent(Integration integration, DateTime heardAt, TimeSpan expected) => new(
        Source, AlertKind.Occurrence, "heartbeat.missed", $"heartbeat-missed:{heardAt.Ticks}", SilentIdentity, null, null, Severity.High,
        $"No alerts from {integration.Name} for over {Minutes(expected)} (expected at least every {Minutes(expected)})",
        $"Last heard {(integration.LastWebhookAt is null ? "never (since it was created)" : $"at {heardAt:yyyy-MM-dd HH:mm} UTC")}. "
        + "A silent source may be broken, disconnected or pointed elsewhere.",
        [new AlertTag("integration", integration.Name)], heardAt + expected, null, "heartbeat")
    {
        SourceResolves = true,
        Actor = "SignalCraft",
    };

    private static NormalizedAlert Heard(Integration integration, DateTime last) => new(
        Source, AlertKind.Resolved, "heartbeat.resumed", $"heartbeat-resumed:{last.Ticks}", SilentIdentity, null, null, null,
        $"{integration.Name} is sending again", null, [], last, null, "heartbeat")
    {
        SourceResolves = true,
        Actor = "SignalCraft",
    };

    private static string Minutes(TimeSpan span) => span.TotalMinutes == 1 ? "1 minute" : $"{span.TotalMinutes:0} minutes";
}

/// <summary>Arms the sweep (in the caller's unit of work; a no-op while it is armed).</summary>
public sealed class HeartbeatChecks(JobClient jobs, TimeProvider time, IOptions<HeartbeatOptions> options)
{
    public Task ArmAsync(CancellationToken ct) => jobs.EnqueueAsync(new CheckHeartbeats(), new EnqueueOptions
    {
        Priority = JobPriority.High,
        RunAt = time.GetUtcNow().UtcDateTime + options.Value.CheckEvery,
        UniqueKey = CheckHeartbeats.UniqueKey,
        MaxAttempts = 1000,
    }, ct);
}

/// <summary>Bound from <c>Heartbeats</c>.</summary>
public sealed class HeartbeatOptions
{
    public const string SectionName = "Heartbeats";

    /// <summary>How often silent sources are looked for; a silence is noticed at most this late.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromMinutes(1);
}
