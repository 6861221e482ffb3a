using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Jobs;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Jobs;

/// <summary>
/// SignalCraft instances as separate OS processes on one PostgreSQL. The test process migrates the database and
/// enqueues through its own <see cref="JobClient"/> (no worker of its own); outcomes are read from the database
/// with bounded polling.
/// </summary>
[Collection(AppProcessCollection.Name)]
public sealed class JobProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TwoProcesses_TenThousandProbeJobs_EachRunsExactlyOnce()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var settings = new Dictionary<string, string?> { ["Jobs:Workers"] = "8" };
        await using var a = AppProcess.Start("worker-a", db, settings);
        await using var b = AppProcess.Start("worker-b", db, settings);
        await Task.WhenAll(a.WaitForOutputAsync("Listening for job notifications", StartTimeout),
            b.WaitForOutputAsync("Listening for job notifications", StartTimeout));

        // Enqueued while both already run: claims race with inserts and with each other.
        for (var batch = 0; batch < 20; batch++)
        {
            await app.WithScopeAsync(async sp =>
            {
                var client = sp.GetRequiredService<JobClient>();
                for (var i = 0; i < 500; i++)
                {
                    await client.EnqueueAsync(new ProbeJob(), new EnqueueOptions { WorkspaceId = i % 7 });
                }
                return await sp.GetRequiredService<SignalCraftDbContext>().SaveChangesAsync();
            });
        }

        await WaitUntilAsync(TimeSpan.FromSeconds(180), async () => await CountAsync(app, JobState.Completed) == 10_000,
            async () => $"{await CountAsync(app, JobState.Completed)} of 10000 completed", a, b);

        var runs = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<JobProbeRun>()
            .GroupBy(r => r.JobId).Select(g => new { JobId = g.Key, Runs = g.Count() }).ToListAsync());
        var byProcess = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<JobProbeRun>()
            .GroupBy(r => r.ProcessId).Select(g => new { Pid = g.Key, Runs = g.Count() }).ToListAsync());
        Assert.Equal(10_000, runs.Count);
        Assert.DoesNotContain(runs, r => r.Runs > 1);
        Assert.Equal(new[] { a.ProcessId, b.ProcessId }.Order(), byProcess.Select(p => p.Pid).Order());
        Assert.All(byProcess, p => Assert.True(p.Runs > 500, $"process {p.Pid} ran only {p.Runs} jobs"));
    }

    [Fact]
    public async Task SigKill_WhileHoldingRunningJobs_SurvivorRescuesAndEveryJobCompletes()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:Workers"] = "4",
            // The shortest lease the Slack call budget allows (3 × Slack:Timeout + 5 s), so the rescue comes quickly.
            ["Slack:Timeout"] = "00:00:01",
            ["Jobs:JobTimeout"] = "00:00:08",
            ["Jobs:RescueAfter"] = "00:00:08",
            ["Jobs:MaintenanceInterval"] = "00:00:00.500",
        };
        await using var victim = AppProcess.Start("victim", db, settings);
        await victim.WaitForOutputAsync("Listening for job notifications", StartTimeout);
        var ids = new List<long>();
        await app.WithScopeAsync(async sp =>
        {
            var client = sp.GetRequiredService<JobClient>();
            var jobs = new List<Job>();
            for (var i = 0; i < 24; i++)
            {
                jobs.Add((await client.EnqueueAsync(new ProbeJob(DelayMs: 1000))).Job);
            }
            await sp.GetRequiredService<SignalCraftDbContext>().SaveChangesAsync();
            ids.AddRange(jobs.Select(j => j.Id));
            return 0;
        });
        await using var survivor = AppProcess.Start("survivor", db, settings);

        // Kill once the victim is mid-job: it has recorded starts of jobs that are still running.
        await WaitUntilAsync(TimeSpan.FromSeconds(30), async () => (await RunningOfAsync(app, victim.ProcessId)).Count >= 1,
            () => Task.FromResult("the victim never started a job"), victim, survivor);
        victim.Kill();
        var orphaned = await RunningOfAsync(app, victim.ProcessId);
        Assert.NotEmpty(orphaned);

        await WaitUntilAsync(TimeSpan.FromSeconds(120), async () => await CountAsync(app, JobState.Completed) == ids.Count,
            async () => $"{await CountAsync(app, JobState.Completed)} of {ids.Count} completed", survivor);

        var runs = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<JobProbeRun>().ToListAsync());
        Assert.Equal(ids.Order(), runs.Select(r => r.JobId).Distinct().Order());
        foreach (var id in orphaned)
        {
            // The killed attempt is on record, and a later attempt by the survivor finished the job.
            Assert.Contains(runs, r => r.JobId == id && r.ProcessId == victim.ProcessId);
            Assert.Contains(runs, r => r.JobId == id && r.ProcessId == survivor.ProcessId && r.Attempt > 1);
            Assert.Contains("rescued", (await app.GetJobAsync(id)).Errors);
        }
    }

    [Fact]
    public async Task Notify_JobCommittedByAnotherProcess_StartsWithinFiveSecondsWithoutPolling()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        // A 60 s poll: a start within 5 s can only come from the notification.
        await using var worker = AppProcess.Start("worker", db, new Dictionary<string, string?>
        {
            ["Jobs:Workers"] = "2",
            ["Jobs:PollInterval"] = "00:01:00",
        });
        await worker.WaitForOutputAsync("Listening for job notifications", StartTimeout);
        // A first job, however it gets started, leaves the worker idle with its next poll 60 s away.
        var first = (await app.EnqueueAsync(new ProbeJob())).Job.Id;
        await WaitUntilAsync(TimeSpan.FromSeconds(30), async () => (await JobWorkerTests.ProbeRunsAsync(app, first)).Count == 1,
            () => Task.FromResult($"job {first} did not start"), worker);

        var watch = Stopwatch.StartNew();
        var id = (await app.EnqueueAsync(new ProbeJob())).Job.Id;
        await WaitUntilAsync(TimeSpan.FromSeconds(5), async () => (await JobWorkerTests.ProbeRunsAsync(app, id)).Count == 1,
            () => Task.FromResult($"job {id} did not start within 5 s"), worker);

        var run = Assert.Single(await JobWorkerTests.ProbeRunsAsync(app, id));
        Assert.Equal(worker.ProcessId, run.ProcessId);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"started after {watch.Elapsed}");
    }

    private static Task<int> CountAsync(SignalCraftApp app, JobState state) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<Job>().CountAsync(j => j.State == state));

    /// <summary>Jobs still running whose recorded start came from <paramref name="pid"/>.</summary>
    private static Task<List<long>> RunningOfAsync(SignalCraftApp app, int pid) =>
        app.WithScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<SignalCraftDbContext>();
            var started = context.Set<JobProbeRun>().Where(r => r.ProcessId == pid).Select(r => r.JobId);
            return await context.Set<Job>().Where(j => j.State == JobState.Running && started.Contains(j.Id)).Select(j => j.Id).ToListAsync();
        });

    private static async Task WaitUntilAsync(TimeSpan deadline, Func<Task<bool>> condition, Func<Task<string>> describe, params AppProcess[] processes)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > deadline)
            {
                var output = string.Join("\n", processes.Select(p => $"--- {p.Name} (pid {p.ProcessId}) ---\n{Tail(p.Output)}"));
                Assert.Fail($"Not reached within {deadline}: {await describe()}\n{output}");
            }
            await Task.Delay(50);
        }
    }

    private static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;
}
