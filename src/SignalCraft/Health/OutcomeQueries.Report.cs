using Microsoft.EntityFrameworkCore;
using SignalCraft.Alerts;
using SignalCraft.Grouping;
using SignalCraft.Notify;

namespace SignalCraft.Health;

public sealed partial class OutcomeQueries
{
    /// <summary>Timeline kinds that count as a person acting on an incident (the last step of the noise funnel).</summary>
    private static readonly string[] HumanActionKinds =
    [
        TimelineKinds.Acknowledged, TimelineKinds.Resolved, TimelineKinds.Snoozed, TimelineKinds.Assigned, TimelineKinds.Note,
        TimelineKinds.Reopened, TimelineKinds.Severity,
    ];

    /// <summary>The actor name SignalCraft writes on its own timeline entries (timers, ingest).</summary>
    private const string SystemActor = "SignalCraft";

    public async Task<OutcomeReport> ReportAsync(string range, TimeSpan span, TimeSpan deliverySlo, CancellationToken ct)
    {
        var (from, to) = Window(span);
        return await ReportAsync(range, from, to, deliverySlo, await EventBucketsAsync(from, to, ct), await AckFiguresAsync(from, to, ct), ct);
    }

    private async Task<OutcomeReport> ReportAsync(string range, DateTime from, DateTime to, TimeSpan deliverySlo,
        List<NoisySource> eventBuckets, AckFigures acks, CancellationToken ct)
    {
        var groupCount = eventBuckets.Sum(b => b.Groups); // a group's events share its source and project
        var firstPosts = acks.Notified;
        var postsByBucket = await db.Set<GroupNotification>().AsNoTracking().Where(n => n.FirstSentAt >= from && n.FirstSentAt <= to)
            .Join(db.Set<AlertGroup>().AsNoTracking(), n => n.GroupId, g => g.Id, (n, g) => new { g.Source, g.Project })
            .GroupBy(x => new { x.Source, x.Project }).Select(g => new { g.Key.Source, g.Key.Project, Posts = g.Count() })
            .ToListAsync(ct);
        var actionsByBucket = await db.Set<TimelineEntry>().AsNoTracking()
            .Where(t => t.At >= from && t.At <= to && HumanActionKinds.Contains(t.Kind) && t.ActorName != null && t.ActorName != SystemActor)
            .Join(db.Set<AlertGroup>().AsNoTracking(), t => t.GroupId, g => g.Id, (t, g) => new { g.Source, g.Project })
            .GroupBy(x => new { x.Source, x.Project }).Select(g => new { g.Key.Source, g.Key.Project, Actions = g.Count() })
            .ToListAsync(ct);

        var resolved = await db.Set<AlertGroup>().AsNoTracking().Where(g => g.ResolvedAt >= from && g.ResolvedAt <= to)
            .Select(g => new { g.Severity, g.Project, g.OpenedAt, ResolvedAt = g.ResolvedAt!.Value }).ToListAsync(ct);
        var escalations = await db.Set<TimelineEntry>().AsNoTracking().CountAsync(t => t.Kind == "escalated" && t.At >= from && t.At <= to, ct);
        var missed = await MissedCriticalAsync(from, to, deliverySlo, ct);
        var suggestions = await SuggestionsAsync(from, to, eventBuckets.Sum(b => b.Events), ct);

        var notified = firstPosts.Select(p => new { p.Severity, p.Project, Mtta = p.MttaSeconds }).ToList();
        var mttr = resolved.Select(r => new { r.Severity, r.Project, Seconds = (r.ResolvedAt - r.OpenedAt).TotalSeconds }).ToList();

        BreakdownRow Row(string key, Func<Severity, string?, bool> match)
        {
            var n = notified.Where(x => match(x.Severity, x.Project)).ToList();
            return new BreakdownRow(key, Percentiles.Stats(n.Where(x => x.Mtta is not null).Select(x => x.Mtta!.Value)),
                Percentiles.Stats(mttr.Where(x => match(x.Severity, x.Project)).Select(x => x.Seconds)),
                Rate(n.Count(x => x.Mtta is not null), n.Count), n.Count);
        }
        var bySeverity = notified.Select(x => x.Severity).Concat(mttr.Select(x => x.Severity)).Distinct().Order() // critical first
            .Select(s => Row(s.ToString().ToLowerInvariant(), (sev, _) => sev == s)).ToList();
        var byProject = notified.Select(x => x.Project).Concat(mttr.Select(x => x.Project)).Distinct().OrderBy(p => p)
            .Select(p => Row(p ?? "(none)", (_, proj) => proj == p)).ToList();

        var funnel = eventBuckets.OrderByDescending(b => b.Events).Select(b =>
        {
            var posts = postsByBucket.Where(p => p.Source == b.Source && p.Project == b.Project).Sum(p => p.Posts);
            var actions = actionsByBucket.Where(a => a.Source == b.Source && a.Project == b.Project).Sum(a => a.Actions);
            return new FunnelRow(b.Source, b.Project, b.Events, b.Groups, posts, actions, NoiseReduction(posts, b.Events));
        }).ToList();
        var totalEvents = eventBuckets.Sum(b => b.Events);
        var totalPosts = postsByBucket.Sum(p => p.Posts);
        var acknowledged = notified.Count(x => x.Mtta is not null);

        return new OutcomeReport(range, from, to, (int)deliverySlo.TotalSeconds,
            totalEvents, groupCount, totalPosts, actionsByBucket.Sum(a => a.Actions), NoiseReduction(totalPosts, totalEvents),
            notified.Count, acknowledged, acks.AckRate,
            Percentiles.Stats(notified.Where(x => x.Mtta is not null).Select(x => x.Mtta!.Value)),
            Percentiles.Stats(mttr.Select(x => x.Seconds)),
            escalations, missed.Count, missed, funnel, bySeverity, byProject, suggestions);
    }

    /// <summary>
    /// Events and groups per source and project over a range that ends now. Events come from the hourly rollup (closed
    /// hours) and the live edges; groups are those seen in the range, i.e. whose last occurrence is at or after its
    /// start — the same set as the distinct groups of its events, read from the groups' own index instead of a
    /// distinct count over every event (bench/scale).
    /// </summary>
    private async Task<List<NoisySource>> EventBucketsAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var events = await rollup.EventsAsync(from, to, ct);
        var groups = await db.Set<AlertGroup>().AsNoTracking().Where(g => g.LastSeenAt >= from && g.LastSeenAt <= to)
            .GroupBy(g => new { g.Source, g.Project }).Select(g => new { g.Key.Source, g.Key.Project, Groups = g.Count() })
            .ToListAsync(ct);
        var eventsByKey = events.ToDictionary(e => (e.Source, e.Project), e => e.Events);
        var groupsByKey = groups.ToDictionary(g => (g.Source, g.Project), g => g.Groups);
        return eventsByKey.Keys.Union(groupsByKey.Keys).Select(key =>
        {
            var (eventCount, groupCount) = (eventsByKey.GetValueOrDefault(key), groupsByKey.GetValueOrDefault(key));
            return new NoisySource(key.Source, key.Project, eventCount, groupCount,
                groupCount == 0 ? 0 : Math.Round((double)eventCount / groupCount, 2));
        }).ToList();
    }

    private sealed record NotifiedGroup(long GroupId, DateTime FirstPost, string Source, string? Project, Severity Severity, double? MttaSeconds);

    private sealed record AckFigures(IReadOnlyList<NotifiedGroup> Notified, double? AckRate);

    /// <summary>
    /// Groups whose first successful post (any target) fell in the range, each with its time to the first ack by
    /// anyone, anywhere (web, API, Slack); and the ack rate over them.
    /// </summary>
    private async Task<AckFigures> AckFiguresAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var firstPosts = await db.Set<GroupNotification>().AsNoTracking().Where(n => n.FirstSentAt != null)
            .GroupBy(n => n.GroupId).Select(g => new { GroupId = g.Key, First = g.Min(n => n.FirstSentAt)!.Value })
            .Where(p => p.First >= from && p.First <= to)
            .Join(db.Set<AlertGroup>().AsNoTracking(), p => p.GroupId, g => g.Id,
                (p, g) => new { p.GroupId, p.First, g.Source, g.Project, g.Severity })
            .ToListAsync(ct);
        var ids = firstPosts.Select(p => p.GroupId).ToList();
        var firstAcks = await db.Set<TimelineEntry>().AsNoTracking()
            .Where(t => t.Kind == TimelineKinds.Acknowledged && ids.Contains(t.GroupId))
            .GroupBy(t => t.GroupId).Select(g => new { GroupId = g.Key, At = g.Min(t => t.At) })
            .ToDictionaryAsync(x => x.GroupId, x => x.At, ct);
        var notified = firstPosts.Select(p => new NotifiedGroup(p.GroupId, p.First, p.Source, p.Project, p.Severity,
            firstAcks.TryGetValue(p.GroupId, out var ack) ? Math.Max(0, (ack - p.First).TotalSeconds) : null)).ToList();
        return new AckFigures(notified, Rate(notified.Count(n => n.MttaSeconds is not null), notified.Count));
    }

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    private static double? NoiseReduction(int posts, int events) => events == 0 ? null : Math.Round(1 - (double)posts / events, 4);

    /// <summary>
    /// Critical groups opened in the range whose SLO has run out without a successful post (primary or fallback). A group
    /// still inside its SLO is not judged yet.
    /// </summary>
    private async Task<List<MissedCritical>> MissedCriticalAsync(DateTime from, DateTime to, TimeSpan slo, CancellationToken ct)
    {
        var judged = to - slo;
        var critical = await db.Set<AlertGroup>().AsNoTracking()
            .Where(g => g.Severity == Severity.Critical && g.OpenedAt >= from && g.OpenedAt <= judged)
            .Select(g => new
            {
                g.Id, g.Title, g.Project, g.Environment, g.OpenedAt, g.Unrouted,
                FirstPost = db.Set<GroupNotification>().Where(n => n.GroupId == g.Id && n.FirstSentAt != null).Min(n => n.FirstSentAt),
                LastError = db.Set<NotificationLog>().Where(l => l.GroupId == g.Id && l.Status == NotificationStatus.Failed)
                    .OrderByDescending(l => l.Id).Select(l => l.Error).FirstOrDefault(),
                Attempts = db.Set<NotificationLog>().Count(l => l.GroupId == g.Id),
            })
            .ToListAsync(ct);
        return critical
            .Where(g => g.FirstPost is null || g.FirstPost > g.OpenedAt + slo)
            .Select(g => new MissedCritical(g.Id, g.Title, g.Project, g.Environment, g.OpenedAt, g switch
            {
                { FirstPost: { } late } => $"first delivered after {(late - g.OpenedAt).TotalSeconds:0} s (SLO {slo.TotalSeconds:0} s)",
                { Unrouted: true } => "no routing rule or default route matched: nothing was sent",
                { LastError: { } error } => $"never delivered: {error}",
                { Attempts: 0 } => "no delivery was attempted",
                _ => "never delivered",
            }))
            .OrderBy(m => m.OpenedAt).ToList();
    }

    private async Task<IReadOnlyList<NoisySuggestion>> SuggestionsAsync(DateTime from, DateTime to, int totalEvents, CancellationToken ct)
    {
        if (totalEvents == 0)
        {
            return [];
        }
        // Events per group in the range; the buckets and their loudest group come from the groups' own fields.
        var perGroup = await db.Set<AlertEvent>().AsNoTracking().Where(e => e.ReceivedAt >= from && e.ReceivedAt <= to && e.GroupId != null)
            .GroupBy(e => e.GroupId!.Value).Select(g => new { GroupId = g.Key, Events = g.Count() })
            .Join(db.Set<AlertGroup>().AsNoTracking(), x => x.GroupId, g => g.Id,
                (x, g) => new { x.GroupId, x.Events, g.Source, g.Project, g.Environment, g.Title })
            .ToListAsync(ct);
        var buckets = perGroup.GroupBy(x => (x.Source, x.Project, x.Environment)).Select(b =>
        {
            var top = b.MaxBy(x => x.Events)!;
            return new NoiseSuggestions.Bucket(b.Key.Source, b.Key.Project, b.Key.Environment, b.Sum(x => x.Events), b.Count(),
                top.GroupId, top.Title, top.Events);
        });
        return NoiseSuggestions.For(buckets, totalEvents);
    }
}
