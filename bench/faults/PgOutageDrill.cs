using Npgsql;

namespace SignalCraft.Bench.Faults;

/// <summary>
/// Drill 2: SignalCraft on PostgreSQL through a loopback TCP proxy; mid-storm the proxy first cuts the database (every
/// connection reset), then blackholes it (connections held without an answer), then restores it. While it is down
/// every webhook must be answered 503 within a second; nothing answered 2xx may be lost; after the database is back,
/// webhooks are accepted again within 5 s, and the alerts are delivered without duplicates.
/// </summary>
public sealed class PgOutageDrill(DrillContext context)
{
    public async Task RunAsync()
    {
        var smoke = context.Smoke;
        var (healthy, cut, blackhole, restored) = smoke
            ? (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6))
            : (TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
        var (rate, groups, channelCount, connections) = smoke ? (20, 16, 4, 24) : (40, 120, 12, 48);
        var duration = healthy + cut + blackhole + restored;
        var alerts = (int)(rate * duration.TotalSeconds);
        var channels = Enumerable.Range(0, channelCount).Select(i => $"pg-{i:00}").ToList();
        var report = context.Report;
        await using var database = await context.OpenDatabaseAsync(postgres: true);
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpFaultProxy(direct.Host!, direct.Port);
        var settings = new Dictionary<string, string>(DrillRig.ShortLeases())
        {
            ["ConnectionStrings__Postgres"] = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString,
        };
        await using var rig = await DrillRig.StartAsync(context, database, channels, settings);
        report.Row("setup", $"{alerts} alerts at {rate}/s over {groups} groups, {channelCount} channels, {connections} connections; " +
            $"healthy {healthy.TotalSeconds:0} s, cut {cut.TotalSeconds:0} s, blackholed {blackhole.TotalSeconds:0} s, restored {restored.TotalSeconds:0} s");

        var load = new SignedLoad(context.Bodies, channels);
        var url = rig.WebhookUrlAt(rig.App.Url);
        var storm = load.RunAsync(() => url, alerts, duration, groups, connections, duration * 2 + TimeSpan.FromSeconds(30));
        async Task<TimeSpan> At(TimeSpan when, Action fault, string what)
        {
            while (load.Clock.Elapsed < when && !storm.IsCompleted)
            {
                await Task.Delay(20);
            }
            fault();
            DrillContext.Say($"{what} at {load.Clock.Elapsed.TotalSeconds:F1} s");
            return load.Clock.Elapsed;
        }
        var cutAt = await At(healthy, proxy.Cut, "database cut");
        var blackholeAt = await At(healthy + cut, proxy.Blackhole, "database blackholed");
        var restoreAt = await At(healthy + cut + blackhole, proxy.Restore, "database restored");
        await storm;

        var record = load.Record;
        report.Row("webhooks sent / 2xx", $"{record.Count} / {load.Accepted.Count()}");
        report.Row("answers before the outage", SignedLoad.Describe(record.Where(s => s.StartedAt < cutAt)));
        report.Row("answers while cut", SignedLoad.Describe(record.Where(s => s.StartedAt >= cutAt && s.StartedAt < blackholeAt)));
        report.Row("answers while blackholed", SignedLoad.Describe(record.Where(s => s.StartedAt >= blackholeAt && s.StartedAt < restoreAt)));
        report.Row("answers after the restore", SignedLoad.Describe(record.Where(s => s.StartedAt >= restoreAt)));
        // Sent while down, and not so close to the restore that the database could answer it.
        var down = record.Where(s => s.StartedAt >= cutAt && s.StartedAt < restoreAt - TimeSpan.FromSeconds(1)).ToList();
        var not503 = down.Count(s => s.Status != 503);
        var slow = down.Count(s => s.Ms > 1000);
        report.Check("sent while down: answered other than 503", $"{not503} of {down.Count}", down.Count > 0 && not503 == 0,
            SignedLoad.Describe(down.Where(s => s.Status != 503)));
        report.Check("sent while down: answered after more than 1 s", $"{slow} (slowest {(down.Count == 0 ? 0 : down.Max(s => s.Ms)):F0} ms, " +
            $"p99 {Storm.Stats.Percentile(down.Select(s => s.Ms).Order().ToArray(), 0.99):F0} ms)", slow == 0);
        var back = record.Where(s => s.StartedAt >= restoreAt && s.Accepted).OrderBy(s => s.StartedAt + TimeSpan.FromMilliseconds(s.Ms)).FirstOrDefault();
        var backAfter = back is null ? (TimeSpan?)null : back.StartedAt + TimeSpan.FromMilliseconds(back.Ms) - restoreAt;
        report.Check("first 2xx after the database is back", backAfter is { } b ? $"{b.TotalSeconds:F1} s" : "never", backAfter <= TimeSpan.FromSeconds(5));
        var late = record.Where(s => s.StartedAt >= restoreAt + TimeSpan.FromSeconds(5)).ToList();
        report.Check("sent 5 s or more after the restore: not 2xx", $"{late.Count(s => !s.Accepted)} of {late.Count}", late.Count > 0 && late.All(s => s.Accepted),
            SignedLoad.Describe(late.Where(s => !s.Accepted)));
        await DeliveryCheck.ReportAsync(rig, load, channels, report, smoke ? TimeSpan.FromSeconds(25) : TimeSpan.FromSeconds(120),
            TimeSpan.FromSeconds(smoke ? 1 : 3));
        report.Check("SignalCraft alive at the end", rig.App.Process.HasExited ? "exited" : "running", !rig.App.Process.HasExited, rig.App.Process.Tail());
    }
}
