using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Jobs;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Jobs;

/// <summary>The worker inside one process: wake-up on local commit, retries through a handler, shutdown.</summary>
public sealed class JobWorkerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Worker_JobCommittedLocally_RunsWithoutAnyPoll(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        // The fake clock never moves, so the poll timer never fires: only the commit signal can start the job.
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?> { ["Jobs:Workers"] = "2" });
        app.Start();

        // The first job may be taken by the worker's start-up claim; the second can only be started by the signal.
        var first = (await app.EnqueueAsync(new ProbeJob())).Job.Id;
        await WaitForStateAsync(app, first, JobState.Completed);
        var id = (await app.EnqueueAsync(new ProbeJob())).Job.Id;
        var job = await WaitForStateAsync(app, id, JobState.Completed);

        var runs = await ProbeRunsAsync(app, id);
        Assert.Equal([1], runs.Select(r => r.Attempt));
        Assert.Equal(Environment.ProcessId, runs[0].ProcessId);
        Assert.Equal(job.AttemptedBy, runs[0].AttemptedBy);
        Assert.NotNull(job.FinalizedAt);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Worker_HandlerThrows_RecordsTheErrorAndRetriesAfterTheBackoff(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?> { ["Jobs:Workers"] = "2" });
        app.Start();

        var id = (await app.EnqueueAsync(new ProbeJob(FailAttempts: 1))).Job.Id;
        var failed = await WaitForStateAsync(app, id, JobState.Retryable);
        Assert.InRange(failed.ScheduledAt, app.Now().AddSeconds(0.9), app.Now().AddSeconds(1.1));
        Assert.Contains("Probe failure requested for attempt 1", JobErrors.Parse(failed.Errors).Single().Error);

        app.Clock.Advance(TimeSpan.FromSeconds(1.2)); // due again, and the poll timer fires
        var done = await WaitForStateAsync(app, id, JobState.Completed);

        Assert.Equal(2, done.Attempt);
        Assert.Equal([1, 2], (await ProbeRunsAsync(app, id)).Select(r => r.Attempt));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Shutdown_JobOutlastsTheGrace_IsGivenBackUntried(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        long id;
        await using (var app = new SignalCraftApp(db, new Dictionary<string, string?>
        {
            ["Jobs:Workers"] = "1",
            ["Jobs:ShutdownGrace"] = "00:00:00.200",
        }, useFakeClock: false))
        {
            app.Start();
            id = (await app.EnqueueAsync(new ProbeJob(DelayMs: 60_000))).Job.Id;
            await WaitForStateAsync(app, id, JobState.Running);
            await WaitUntilAsync(async () => (await ProbeRunsAsync(app, id)).Count == 1);
            var watch = Stopwatch.StartNew();
            await app.DisposeAsync();
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"shutdown took {watch.Elapsed}");
        }

        await using var reader = JobTestHelpers.StartWithoutWorker(db);
        var job = await reader.GetJobAsync(id);
        Assert.Equal((JobState.Available, 0), (job.State, job.Attempt));
    }

    internal static async Task<Job> WaitForStateAsync(SignalCraftApp app, long id, JobState state)
    {
        Job? job = null;
        await WaitUntilAsync(async () => (job = await app.GetJobAsync(id)).State == state,
            () => $"job {id} is {job?.State}, expected {state}; errors {job?.Errors}");
        return job!;
    }

    internal static Task<List<JobProbeRun>> ProbeRunsAsync(SignalCraftApp app, long id) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<JobProbeRun>()
            .Where(r => r.JobId == id).OrderBy(r => r.Id).ToListAsync());

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string>? describe = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > Deadline)
            {
                Assert.Fail($"Not reached within {Deadline}: {describe?.Invoke()}");
            }
            await Task.Delay(20);
        }
    }
}
