using Microsoft.EntityFrameworkCore;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Integrations;

namespace SignalCraft.Health;

public sealed record NoisySource(string Source, string? Project, int Events, int Groups, double EventsPerGroup);

public sealed record IntegrationActivity(long Id, string Name, string Type, DateTime? LastWebhookAt, double? SecondsAgo);

/// <summary>
/// The overview's figures over a range. Glossary (DESIGN): events per group = events ÷ groups; ack rate and MTTA
/// come from the outcome report and read null until a group was notified; unrouted counts groups no rule matched.
/// </summary>
public sealed record Overview(
    string Range, DateTime From, DateTime To, int Events, int Groups, double? EventsPerGroup, double? AckRate,
    double? MttaMedianSeconds, double? MttaP90Seconds, int? UnroutedCount, IReadOnlyList<NoisySource> TopNoisySources,
    IReadOnlyList<IntegrationActivity> Integrations);

/// <summary>
/// The one query module for outcome figures: the overview page, the dashboard API and the outcome metrics all read
/// through it, so a figure has one formula. Runs under the request's workspace filter.
/// </summary>
public sealed partial class OutcomeQueries(SignalCraftDbContext db, TimeProvider time, EventHourRollup rollup)
{
    public static bool TryParseRange(string? range, out TimeSpan span)
    {
        span = range switch
        {
            null or "" or "24h" => TimeSpan.FromHours(24),
            "1h" => TimeSpan.FromHours(1),
            "7d" => TimeSpan.FromDays(7),
            "30d" => TimeSpan.FromDays(30),
            _ => TimeSpan.Zero,
        };
        return span > TimeSpan.Zero;
    }

    public async Task<Overview> OverviewAsync(string range, TimeSpan span, CancellationToken ct)
    {
        var (from, to) = Window(span);
        return await OverviewAsync(range, from, to, await EventBucketsAsync(from, to, ct), await AckFiguresAsync(from, to, ct), ct);
    }

    /// <summary>
    /// The overview and the outcome report for the same instant (the Overview page shows both): the event buckets and
    /// ack figures they share are read once.
    /// </summary>
    public async Task<(Overview Overview, OutcomeReport Report)> DashboardAsync(string range, TimeSpan span, TimeSpan deliverySlo,
        CancellationToken ct)
    {
        var (from, to) = Window(span);
        var buckets = await EventBucketsAsync(from, to, ct);
        var acks = await AckFiguresAsync(from, to, ct);
        return (await OverviewAsync(range, from, to, buckets, acks, ct), await ReportAsync(range, from, to, deliverySlo, buckets, acks, ct));
    }

    private (DateTime From, DateTime To) Window(TimeSpan span)
    {
        var to = time.GetUtcNow().UtcDateTime;
        return (to - span, to);
    }

    private async Task<Overview> OverviewAsync(string range, DateTime from, DateTime to, List<NoisySource> buckets, AckFigures acks,
        CancellationToken ct)
    {
        // A group's events share its source and project, so the totals are the buckets' sums.
        var eventCount = buckets.Sum(b => b.Events);
        var groupCount = buckets.Sum(b => b.Groups);
        var noisy = buckets.OrderByDescending(b => b.Events).Take(5).ToList();
        var unrouted = await db.Set<Grouping.AlertGroup>().AsNoTracking().CountAsync(g => g.Unrouted && g.LastSeenAt >= from && g.LastSeenAt <= to, ct);
        var integrations = await db.Set<Integration>().AsNoTracking().OrderBy(i => i.Name)
            .Select(i => new { i.Id, i.Name, i.Type, i.LastWebhookAt }).ToListAsync(ct);

        // Ack rate and MTTA have one formula, shared with the outcome report.
        var mtta = Percentiles.Stats(acks.Notified.Where(n => n.MttaSeconds is not null).Select(n => n.MttaSeconds!.Value));
        return new Overview(range, from, to, eventCount, groupCount,
            groupCount == 0 ? null : Math.Round((double)eventCount / groupCount, 2),
            acks.AckRate, mtta.MedianSeconds, mtta.P90Seconds, UnroutedCount: unrouted,
            noisy.Select(n => new NoisySource(n.Source, n.Project, n.Events, n.Groups, n.Groups == 0 ? 0 : Math.Round((double)n.Events / n.Groups, 2))).ToList(),
            integrations.Select(i => new IntegrationActivity(i.Id, i.Name, i.Type, i.LastWebhookAt,
                i.LastWebhookAt is { } at ? Math.Round((to - at).TotalSeconds) : null)).ToList());
    }
}
