namespace SignalCraft.Bench.Faults;

/// <summary>
/// Drill 5: two SignalCraft instances on one PostgreSQL behind a loopback reverse proxy, both taking webhooks and both
/// running jobs; one is SIGKILLed halfway through the storm. Every accepted alert must be stored once and processed
/// once (one "opened" delivery per group and channel), every group notified, and no (group, channel) posted twice — the
/// survivor rescues the dead instance's jobs after their lease.
/// </summary>
public sealed class TwoInstancesDrill(DrillContext context)
{
    public async Task RunAsync()
    {
        var smoke = context.Smoke;
        var (alerts, duration, groups, channelCount, connections) = smoke
            ? (120, TimeSpan.FromSeconds(8), 16, 4, 4)
            : (2400, TimeSpan.FromSeconds(60), 150, 15, 16);
        var channels = Enumerable.Range(0, channelCount).Select(i => $"pair-{i:00}").ToList();
        var report = context.Report;
        await using var database = await context.OpenDatabaseAsync(postgres: true);
        await using var rig = await DrillRig.StartAsync(context, database, channels, DrillRig.ShortLeases());
        var first = rig.App;
        var second = await rig.StartAnotherAsync();
        await using var proxy = await ReverseProxy.StartAsync([first.Url, second.Url]);
        report.Row("setup", $"{alerts} alerts over {groups} groups in {duration.TotalSeconds:0} s, {channelCount} channels, {connections} connections, " +
            "2 instances on PostgreSQL behind a YARP reverse proxy (round robin, /readyz checked every second)");

        var load = new SignedLoad(context.Bodies, channels);
        var url = rig.WebhookUrlAt(proxy.Url);
        var storm = load.RunAsync(() => url, alerts, duration, groups, connections, duration * 3 + TimeSpan.FromSeconds(30));
        while (load.Clock.Elapsed < duration / 2 && !storm.IsCompleted)
        {
            await Task.Delay(50);
        }
        var killedAt = load.Clock.Elapsed;
        await rig.KillAsync(first);
        DrillContext.Say($"SIGKILL of instance 1 at {killedAt.TotalSeconds:F1} s ({load.Accepted.Count()} accepted so far)");
        await storm;

        var sent = load.Record.Count;
        var accepted = load.Accepted.Count();
        report.Row("webhooks sent / 2xx / other answers", $"{sent} / {accepted} / {SignedLoad.Describe(load.Record.Where(s => !s.Accepted))}");
        report.Row("2xx before / after the kill", $"{load.Accepted.Count(s => s.StartedAt < killedAt)} / {load.Accepted.Count(s => s.StartedAt >= killedAt)}");
        report.Check("2xx after the kill (the survivor takes the traffic)", load.Accepted.Count(s => s.StartedAt >= killedAt + TimeSpan.FromSeconds(3)),
            load.Accepted.Any(s => s.StartedAt >= killedAt + TimeSpan.FromSeconds(3)));
        await DeliveryCheck.ReportAsync(rig, load, channels, report, smoke ? TimeSpan.FromSeconds(25) : TimeSpan.FromSeconds(120),
            TimeSpan.FromSeconds(smoke ? 1 : 3));
        var storedTwice = await DbQuery.ScalarAsync(database, "SELECT COUNT(*) - COUNT(DISTINCT source_event_id) FROM alert_events");
        report.Check("events stored more than once", storedTwice, storedTwice == 0);
        var sentTwice = await DbQuery.ScalarAsync(database,
            "SELECT COUNT(*) FROM (SELECT group_id, target_id FROM notification_log WHERE kind = 'opened' AND status = 'sent' GROUP BY group_id, target_id HAVING COUNT(*) > 1) x");
        report.Check("(group, target) with two 'opened' deliveries recorded as sent", sentTwice, sentTwice == 0);
        report.Check("surviving instance alive at the end", second.Process.HasExited ? "exited" : "running", !second.Process.HasExited, second.Process.Tail());
    }
}
