using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Jobs;
using SignalCraft.Notify;
using SignalCraft.Notify.Webhook;
using SignalCraft.Tests.Inbox;
using SignalCraft.Tests.Jobs;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.TestHost;
using SignalCraft.Timers;

namespace SignalCraft.Tests.Timers;

/// <summary>
/// Timers are jobs, so two SignalCraft processes on one PostgreSQL race for every due timer: each must fire once.
/// The test process ingests and acts (no worker of its own, its clock set to the real time); the two worker processes
/// run on the real clock. Timers are made due by moving their due time to now in the database, as time passing would.
/// </summary>
[Collection(AppProcessCollection.Name)]
public sealed class TimerProcessTests
{
    private const int Groups = 30;
    private const int Snoozed = 15;   // groups 0..14 are snoozed (their snooze runs out with the escalation due)
    private const int WithNews = 10;  // groups 0..9 get an event during their snooze

    [Fact]
    public async Task TwoWorkerProcesses_DueEscalationsAndSnoozeEnds_EachFireExactlyOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var app = JobTestHelpers.StartWithoutWorker(db, new Dictionary<string, string?>
        {
            ["Notify:AllowPrivateTargets"] = "true", ["Timers:ArmRetentionOnStart"] = "false",
        });
        app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:Workers"] = "4", ["Jobs:PollInterval"] = "00:00:01",
            ["Notify:AllowPrivateTargets"] = "true", ["Timers:ArmRetentionOnStart"] = "false",
        };
        await using var a = AppProcess.Start("worker-a", db, settings);
        await using var b = AppProcess.Start("worker-b", db, settings);
        await Task.WhenAll(a.WaitForOutputAsync("Listening for job notifications", TimeSpan.FromSeconds(30)),
            b.WaitForOutputAsync("Listening for job notifications", TimeSpan.FromSeconds(30)));

        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        var rule = await owner.Client.PostAsJsonAsync("/api/routing-rules", new
        {
            name = "everything",
            actions = new
            {
                targets = new[] { new { kind = "webhook", url = receiver.Url() } },
                escalation = new[] { new { afterMinutes = 30, repeatEveryMinutes = 60 } },
            },
        });
        await rule.AssertStatusAsync(HttpStatusCode.Created);
        var ids = new List<long>();
        for (var i = 0; i < Groups; i++)
        {
            ids.Add(await IssueSender.SendAsync(owner, integration, $"91000{i:D3}", $"first{i}"));
        }
        await receiver.WaitForAsync(r => r.Count(x => x.Type == WebhookEventTypes.Opened) >= Groups, "every group's first notification",
            TimeSpan.FromSeconds(60));
        for (var i = 0; i < Snoozed; i++)
        {
            (await owner.Client.PostAsJsonAsync($"/api/alert-groups/{ids[i]}/snooze", new { minutes = 60 })).EnsureSuccessStatusCode();
        }
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        for (var i = 0; i < WithNews; i++)
        {
            await IssueSender.SendAsync(owner, integration, $"91000{i:D3}", $"during-snooze{i}");
        }

        // Time passes: every snooze has run out, and every escalation step and snooze end is due now, for both processes at once.
        var past = DateTime.UtcNow.AddSeconds(-1);
        await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<AlertGroup>().IgnoreQueryFilters()
            .Where(g => g.SnoozedUntil != null).ExecuteUpdateAsync(u => u.SetProperty(g => g.SnoozedUntil, past)));
        var due = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<Job>()
            .Where(j => (j.Kind == EscalateGroup.Kind || j.Kind == EndSnooze.Kind) && j.State == JobState.Scheduled)
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.ScheduledAt, past)));
        Assert.Equal(Groups + Snoozed, due);
        // A snoozed group's escalation ran before its snooze ended (the race is the point), or after: either way it fires once.
        await WaitUntilAsync(app, TimeSpan.FromSeconds(60), async () =>
            (await FinishedAsync(app, EndSnooze.Kind)) == Snoozed && (await FinishedAsync(app, EscalateGroup.Kind)) == Groups
            && await RenotifiedAsync(app) == WithNews, a, b);

        var escalations = receiver.Requests.Where(r => r.Type == WebhookEventTypes.Escalated)
            .Select(r => r.Json.GetProperty("group").GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), escalations.Order());
        var timeline = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<TimelineEntry>().IgnoreQueryFilters()
            .Where(t => t.Kind == "escalated" || t.Kind == TimelineKinds.Unsnoozed).Select(t => new { t.GroupId, t.Kind }).ToListAsync());
        Assert.Equal(ids.Order(), timeline.Where(t => t.Kind == "escalated").Select(t => t.GroupId).Order());
        Assert.Equal(ids.Take(Snoozed).Order(), timeline.Where(t => t.Kind == TimelineKinds.Unsnoozed).Select(t => t.GroupId).Order());
        var renotified = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<NotificationLog>().IgnoreQueryFilters()
            .Where(l => l.Kind == NotificationReasons.Renotified).Select(l => l.GroupId).ToListAsync());
        Assert.Equal(ids.Take(WithNews).Order(), renotified.Order());
        // Each fired step armed its repeat once.
        var repeats = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<Job>()
            .Where(j => j.Kind == EscalateGroup.Kind && j.State == JobState.Scheduled && j.UniqueKey!.EndsWith(":1")).Select(j => j.UniqueKey).ToListAsync());
        Assert.Equal(Groups, repeats.Distinct().Count());
    }

    private static Task<int> FinishedAsync(SignalCraftApp app, string kind) => app.WithScopeAsync(sp =>
        sp.GetRequiredService<SignalCraftDbContext>().Set<Job>().CountAsync(j => j.Kind == kind && j.State == JobState.Completed));

    private static Task<int> RenotifiedAsync(SignalCraftApp app) => app.WithScopeAsync(sp =>
        sp.GetRequiredService<SignalCraftDbContext>().Set<NotificationLog>().IgnoreQueryFilters()
            .CountAsync(l => l.Kind == NotificationReasons.Renotified && l.Status == NotificationStatus.Sent));

    private static async Task WaitUntilAsync(SignalCraftApp app, TimeSpan deadline, Func<Task<bool>> condition, params AppProcess[] processes)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > deadline)
            {
                var jobs = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<Job>().AsNoTracking()
                    .Where(j => j.Kind != SendNotification.Kind).ToListAsync());
                var renotified = await RenotifiedAsync(app);
                Assert.Fail($"The timers did not all finish within {deadline} ({renotified} re-notified):\n"
                    + string.Join("\n", jobs.Select(j => $"{j.Kind} {j.UniqueKey} {j.State} due {j.ScheduledAt:O} attempt {j.Attempt} {j.Errors}")) + "\n"
                    + string.Join("\n", processes.Select(p => $"--- {p.Name} ---\n{(p.Output.Length > 4000 ? p.Output[^4000..] : p.Output)}")));
            }
            await Task.Delay(100);
        }
    }
}
