using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;

namespace SignalCraft.Bench.Storm;

/// <summary>
/// The alert storm: N alerts over G groups (each its own Sentry issue) in the planned duration, routed by project to
/// C channels, with critical probe alerts (new groups, their own channel) at 25/50/75 % of the time. Measures time to
/// page of the probes, messages and edits per (group, target), peak RSS, and that every accepted alert is stored.
/// </summary>
public sealed partial class StormRun(BenchOptions options, SentryBodies bodies)
{
    private const string ProbeChannel = "storm-probes";

    public const string ProbeChannelName = ProbeChannel;

    public static List<string> Channels(BenchOptions options) => Enumerable.Range(0, options.StormChannels).Select(i => $"team-{i:00}").ToList();

    public async Task<string> RunAsync(SignalCraftInstance app, BenchDatabase database, IPageObserver observer, List<string> failures, List<string> goals)
    {
        var (integrationId, webhookUrl) = await app.CreateSentryIntegrationAsync("Sentry storm");
        var channels = Channels(options);
        await CreateRulesAsync(app, observer, channels);

        Console.WriteLine($"  storm: {options.StormAlerts} alerts over {options.StormGroups} groups in {options.StormDuration.TotalSeconds:0} s, " +
            $"{channels.Count} channels via {observer.Kind}, {options.StormConnections} connections, on {database.Provider}");
        app.Process.ResetPeak();
        var cpu0 = app.Process.CpuTime;
        var accepted = new ConcurrentBag<string>();
        var latencies = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<string, long>();
        var probes = new ConcurrentDictionary<int, DateTime>();
        var probesSent = 0;
        var clock = Stopwatch.StartNew();
        // Bounded in time even when SignalCraft falls behind: what is not sent by then is reported as not sent.
        var cap = options.StormDuration * 3 + TimeSpan.FromSeconds(30);
        using var client = LoadRunner.Client(options.StormConnections + 1);
        var interval = options.StormDuration / options.StormAlerts;
        long next = -1;

        async Task<bool> SendAsync(SentryBodies.Webhook webhook)
        {
            using var request = SentryBodies.ToRequest(webhookUrl, webhook);
            var start = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    accepted.Add(webhook.EventId);
                    return true;
                }
                errors.AddOrUpdate(((int)response.StatusCode).ToString(), 1, (_, n) => n + 1);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                errors.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
            }
            return false;
        }

        var senders = Enumerable.Range(0, options.StormConnections).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < cap)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= options.StormAlerts)
                {
                    break;
                }
                var wait = interval * i - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait);
                }
                var group = (int)(i % options.StormGroups);
                await SendAsync(bodies.Build(i, group, channels[group % channels.Count]));
            }
        })).ToList();

        // Probes: spaced more than a second apart, so the probe channel's own posting limit (1/s) is not what is measured.
        var prober = Task.Run(async () =>
        {
            var k = 0;
            foreach (var fraction in new[] { 0.25, 0.50, 0.75 })
            {
                var at = options.StormDuration * fraction;
                if (at > clock.Elapsed)
                {
                    await Task.Delay(at - clock.Elapsed);
                }
                for (var p = 0; p < options.ProbesPerPoint && clock.Elapsed < cap; p++, k++)
                {
                    var webhook = bodies.Build(-1 - k, 1_000_000 + k, ProbeChannel, critical: true, title: $"Storm probe p{k}");
                    probesSent++;
                    if (await SendAsync(webhook))
                    {
                        probes[k] = DateTime.UtcNow;
                    }
                    await Task.Delay(TimeSpan.FromMilliseconds(1200));
                }
            }
        });
        await Task.WhenAll(senders.Append(prober));
        var sendTime = clock.Elapsed;
        // Storm alerts handed to a sender, plus the probes: the same population as 'accepted'.
        var stormSent = Math.Min(next + 1, options.StormAlerts);
        var sent = stormSent + probesSent;
        Console.WriteLine($"  storm: sent {sent} in {sendTime.TotalSeconds:F1} s, accepted {accepted.Count}, errors {errors.Values.Sum()}");

        // Drain: wait (bounded) until every probe paged and every group has its message, then a quiet second for edits.
        var expectedGroups = Math.Min(options.StormGroups, (int)Math.Min(stormSent, int.MaxValue));
        var drainLimit = options.Smoke ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(120);
        var drain = Stopwatch.StartNew();
        IReadOnlyList<Page> pages = [];
        var lastCount = -1;
        var quietSince = Stopwatch.StartNew();
        while (drain.Elapsed < drainLimit)
        {
            pages = await observer.PagesAsync([.. channels, ProbeChannel]);
            var count = pages.Count + pages.Sum(p => p.Updates);
            if (count != lastCount)
            {
                lastCount = count;
                quietSince.Restart();
            }
            var probesPaged = pages.Count(p => p.Channel == ProbeChannel) >= probes.Count;
            var groupsPaged = pages.Count(p => p.Channel != ProbeChannel) >= expectedGroups;
            if (probesPaged && groupsPaged && quietSince.Elapsed > TimeSpan.FromSeconds(options.Smoke ? 1 : 3))
            {
                break;
            }
            await Task.Delay(250);
        }
        var cpu = (app.Process.CpuTime - cpu0).TotalSeconds;
        var peakRss = app.Process.PeakRssMb;
        var stored = await database.StoredEventIdsAsync(integrationId);
        var missing = accepted.Count(id => !stored.Contains(id));
        var updateCalls = await observer.UpdateCallsAsync();

        // Time to page: the probe's 202 at the sender → its top-level message at the target.
        var pageTimes = new List<double>();
        foreach (var page in pages.Where(p => p.Channel == ProbeChannel))
        {
            if (ProbeTitle().Match(page.Text) is { Success: true } m && probes.TryGetValue(int.Parse(m.Groups[1].Value), out var acceptedAt))
            {
                pageTimes.Add((page.PostedAt - acceptedAt).TotalMilliseconds);
            }
        }
        var perGroup = pages.Where(p => p.Channel != ProbeChannel)
            .GroupBy(p => (p.Channel, Group: GroupTag().Match(p.Text) is { Success: true } m ? m.Groups[1].Value : p.Text))
            .Select(g => (Messages: g.Count(), Updates: g.Sum(p => p.Updates)))
            .ToList();
        var probeMessages = pages.Where(p => p.Channel == ProbeChannel).GroupBy(p => p.Text).Select(g => g.Count()).ToList();
        var probeJobs = await database.FirstNotificationJobsAsync(ProbeChannel);
        var result = new StormResult(database.Provider, observer.Kind, sent, accepted.Count, errors.Values.Sum(), sendTime,
            latencies.Order().ToArray(), pageTimes.Order().ToArray(), probes.Count, perGroup.Count, expectedGroups,
            perGroup.Select(g => g.Messages).Concat(probeMessages).DefaultIfEmpty(0).Max(),
            perGroup.Count(g => g.Messages > 1) + probeMessages.Count(n => n > 1),
            perGroup.Select(g => (double)g.Updates).ToArray(), updateCalls, peakRss, cpu, missing, stored.Count, probeJobs);

        if (result.Errors > 0)
        {
            failures.Add($"storm: {result.Errors} errors ({string.Join(", ", errors.Select(e => $"{e.Key}×{e.Value}"))})");
        }
        if (missing > 0)
        {
            failures.Add($"storm: {missing} accepted alerts are not in the database");
        }
        if (pageTimes.Count < probes.Count)
        {
            failures.Add($"storm: {probes.Count - pageTimes.Count} of {probes.Count} accepted probes were never paged");
        }
        if (result.GroupsPaged < expectedGroups)
        {
            failures.Add($"storm: {expectedGroups - result.GroupsPaged} of {expectedGroups} groups got no message within {drainLimit.TotalSeconds:0} s");
        }
        if (app.Process.HasExited)
        {
            failures.Add("SignalCraft exited during the storm:\n" + app.Process.Tail());
        }
        return result.Table(goals);
    }

    private async Task CreateRulesAsync(SignalCraftInstance app, IPageObserver observer, IReadOnlyList<string> channels)
    {
        await SignalCraftInstance.Expect(await app.Api.PostAsJsonAsync("api/routing-rules", new
        {
            name = "Probes page their own channel",
            conditions = new { projects = new[] { ProbeChannel }, minSeverity = "critical" },
            actions = new { targets = new[] { observer.Target(ProbeChannel) } },
        }), "create the probe rule");
        foreach (var channel in channels)
        {
            // As teams route by project: each project's alerts go to that team's channel.
            await SignalCraftInstance.Expect(await app.Api.PostAsJsonAsync("api/routing-rules", new
            {
                name = $"Project {channel}",
                conditions = new { projects = new[] { channel } },
                actions = new { targets = new[] { observer.Target(channel) } },
            }), $"create the rule for {channel}");
        }
    }

    [GeneratedRegex(@"Storm probe p(\d+)")]
    private static partial Regex ProbeTitle();

    [GeneratedRegex(@"\[g(\d+)\]")]
    private static partial Regex GroupTag();
}

public sealed record StormResult(string Database, string Targets, long Sent, long Accepted, long Errors, TimeSpan SendTime, double[] AcceptMs,
    double[] PageMs, int Probes, int GroupsPaged, int GroupsExpected, int MaxMessagesPerGroup, int GroupsWithDuplicates, double[] UpdatesPerGroup,
    int UpdateCalls, double PeakRssMb, double CpuSeconds, int MissingInDatabase, int StoredEvents, List<BenchDatabase.ProbeJob> ProbeJobs)
{
    public string Table(List<string> goals)
    {
        var updates = UpdatesPerGroup.Order().ToArray();
        var text = new StringBuilder();
        text.AppendLine($"### Storm ({Database}, {Targets})");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("|---|---|");
        text.AppendLine($"| alerts sent / accepted / errors | {Sent} / {Accepted} / {Errors} |");
        text.AppendLine($"| send time | {SendTime.TotalSeconds:F1} s ({Accepted / SendTime.TotalSeconds:F0} accepted/s) |");
        text.AppendLine($"| accept p50 / p99 | {Stats.Percentile(AcceptMs, 0.5):F1} / {Stats.Percentile(AcceptMs, 0.99):F1} ms |");
        text.AppendLine($"| probes paged | {PageMs.Length} of {Probes} |");
        text.AppendLine($"| time to page p50 / p99 (202 → message) | {Stats.Percentile(PageMs, 0.5):F0} / {Stats.Percentile(PageMs, 0.99):F0} ms |");
        text.AppendLine($"| probe first-notification job: stored → job, job → claimed, claimed → done p50 / p99 | {ProbeStages()} |");
        text.AppendLine($"| groups with a message | {GroupsPaged} of {GroupsExpected} |");
        text.AppendLine($"| top-level messages per (group, target) | max {MaxMessagesPerGroup}, {GroupsWithDuplicates} with more than one |");
        text.AppendLine($"| edits per (group, target) | median {Stats.Percentile(updates, 0.5):F0}, p99 {Stats.Percentile(updates, 0.99):F0}, " +
            $"max {(updates.Length == 0 ? 0 : updates[^1]):F0}; {UpdateCalls} edit calls |");
        text.AppendLine($"| SignalCraft peak RSS / CPU | {PeakRssMb:F0} MB / {CpuSeconds:F0} s |");
        text.AppendLine($"| accepted alerts in the database | {Accepted - MissingInDatabase} of {Accepted} ({StoredEvents} rows) |");
        var p99 = Stats.Percentile(PageMs, 0.99);
        goals.Add(Report.Goal($"storm ({Database}): probe time to page p99 ≤ 100 ms", p99 <= 100, $"{p99:F0} ms"));
        goals.Add(Report.Goal($"storm ({Database}): one top-level message per (group, target)", MaxMessagesPerGroup <= 1 && GroupsPaged >= GroupsExpected,
            $"max {MaxMessagesPerGroup}, {GroupsPaged}/{GroupsExpected} groups"));
        goals.Add(Report.Goal($"storm ({Database}): peak RSS ≤ 300 MB", PeakRssMb <= 300, $"{PeakRssMb:F0} MB"));
        goals.Add(Report.Goal($"storm ({Database}): every accepted alert stored", MissingInDatabase == 0, $"{MissingInDatabase} missing"));
        return text.ToString();
    }

    /// <summary>Where the probes' time to page went, from the jobs table: each stage's p50 / p99 and the attempts.</summary>
    private string ProbeStages()
    {
        if (ProbeJobs.Count == 0)
        {
            return "no job rows";
        }
        static string Stage(IEnumerable<double> ms)
        {
            var sorted = ms.Order().ToArray();
            return sorted.Length == 0 ? "–" : $"{Stats.Percentile(sorted, 0.5):F0} / {Stats.Percentile(sorted, 0.99):F0} ms";
        }
        var done = ProbeJobs.Where(j => j.Attempted is not null).ToList();
        return $"{Stage(ProbeJobs.Select(j => (j.Created - j.GroupFirstSeen).TotalMilliseconds))}; " +
            $"{Stage(done.Select(j => (j.Attempted!.Value - j.Created).TotalMilliseconds))}; " +
            $"{Stage(done.Where(j => j.Finalized is not null).Select(j => (j.Finalized!.Value - j.Attempted!.Value).TotalMilliseconds))}; " +
            $"{ProbeJobs.Count(j => j.Attempts > 1)} of {ProbeJobs.Count} took more than one attempt";
    }
}
