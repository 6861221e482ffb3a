using System.Diagnostics;

namespace SignalCraft.Bench.Faults;

/// <summary>
/// Drill 1: SIGKILL SignalCraft three times during a storm and restart it each time on the same port and database. The
/// storm is paced and runs until its planned number of alerts was accepted; the kills fall at 25, 50 and 75 % of that
/// number, so each one hits a process that is taking webhooks and posting to Slack. Every 2xx webhook must be stored,
/// every group with an accepted alert notified, and no (group, channel) may have two top-level messages: a kill
/// between Slack's answer and the record of it is adopted from the channel's history on the rerun, not posted again.
/// </summary>
public sealed class KillDrill(DrillContext context)
{
    public async Task RunAsync()
    {
        var smoke = context.Smoke;
        // The smoke run kills once: a restart alone takes several seconds on a busy two-core machine.
        var (target, rate, groups, channelCount, connections, kills) = smoke
            ? (60, 20, 16, 4, 4, 1)
            : (600, 20, 100, 10, 8, 3);
        var channels = Enumerable.Range(0, channelCount).Select(i => $"kill-{i:00}").ToList();
        var report = context.Report;
        await using var database = await context.OpenDatabaseAsync(context.Options.Db == "postgres");
        await using var rig = await DrillRig.StartAsync(context, database, channels, DrillRig.ShortLeases());
        report.Row("setup", $"storm until {target} alerts are accepted, paced at {rate}/s over {groups} groups, {channelCount} channels, " +
            $"{connections} connections, {database.Provider}; SIGKILL + restart at every {100 / (kills + 1)} % of it");

        var load = new SignedLoad(context.Bodies, channels);
        var url = rig.WebhookUrlAt(rig.App.Url);
        // Paced at the rate for as long as the cap allows (requests keep coming while SignalCraft is down, as Sentry's
        // would); stops once the target is accepted.
        var cap = TimeSpan.FromSeconds(target / (double)rate * 2) + TimeSpan.FromSeconds(60 * kills);
        var planned = (int)(rate * cap.TotalSeconds);
        var storm = load.RunAsync(() => url, planned, cap, groups, connections, cap, stop: () => load.AcceptedCount >= target);
        var restarts = new List<double>();
        for (var k = 1; k <= kills; k++)
        {
            while (load.AcceptedCount < target * k / (kills + 1) && !storm.IsCompleted)
            {
                await Task.Delay(20);
            }
            var victim = rig.App;
            await rig.KillAsync(victim);
            var down = Stopwatch.StartNew();
            DrillContext.Say($"SIGKILL {k} at {load.Clock.Elapsed.TotalSeconds:F1} s ({load.AcceptedCount} accepted so far); restarting");
            await rig.RestartAsync(victim);
            restarts.Add(down.Elapsed.TotalSeconds);
        }
        await storm;
        var sent = load.Record.Count;
        var accepted = load.AcceptedCount;
        DrillContext.Say($"storm done: {sent} sent, {accepted} accepted; waiting for delivery to settle");
        report.Row("SIGKILLs / restarts", $"{kills} / {restarts.Count}, down {string.Join(", ", restarts.Select(s => $"{s:F1}"))} s");
        report.Row("webhooks sent / 2xx / other answers", $"{sent} / {accepted} / {SignedLoad.Describe(load.Record.Where(s => !s.Accepted))}");
        report.Check("storm reached its accepted target", $"{accepted} of {target}", accepted >= target);
        await DeliveryCheck.ReportAsync(rig, load, channels, report, smoke ? TimeSpan.FromSeconds(25) : TimeSpan.FromSeconds(120),
            TimeSpan.FromSeconds(smoke ? 1 : 3));
        var possibleDuplicates = await DbQuery.ScalarAsync(database, "SELECT COUNT(*) FROM notification_log WHERE possible_duplicate");
        var unfinished = await DbQuery.ScalarAsync(database, "SELECT COUNT(*) FROM notification_log WHERE status = 'started' AND finished_at IS NULL");
        report.Row("delivery attempts cut off by a kill (started, no outcome) / sent as possible duplicate", $"{unfinished} / {possibleDuplicates}");
        report.Check("SignalCraft alive at the end", rig.App.Process.HasExited ? "exited" : "running", !rig.App.Process.HasExited, rig.App.Process.Tail());
    }
}
