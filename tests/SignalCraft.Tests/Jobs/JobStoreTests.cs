using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Jobs;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Jobs;

public sealed class JobStoreTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ClaimAsync_MixedPriorities_CriticalFirstThenByDueTime(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var low = await app.EnqueueAsync(new ProbeJob(), new EnqueueOptions { Priority = JobPriority.Low });
        var normalEarly = await app.EnqueueAsync(new ProbeJob());
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var normalLate = await app.EnqueueAsync(new ProbeJob());
        var critical = await app.EnqueueAsync(new ProbeJob(), new EnqueueOptions { Priority = JobPriority.Critical });
        var high = await app.EnqueueAsync(new ProbeJob(), new EnqueueOptions { Priority = JobPriority.High });
        var notDue = await app.EnqueueAsync(new ProbeJob(), new EnqueueOptions { Priority = JobPriority.Critical, RunAt = app.Now().AddMinutes(1) });

        var order = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            order.AddRange((await app.ClaimAsync(1)).Select(j => j.Id));
        }

        Assert.Equal([critical.Job.Id, high.Job.Id, normalEarly.Job.Id, normalLate.Job.Id, low.Job.Id], order);
        Assert.Equal(JobState.Scheduled, (await app.GetJobAsync(notDue.Job.Id)).State);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ClaimAsync_Claimed_MarksRunningForThisWorkerAndCountsTheAttempt(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var enqueued = await app.EnqueueAsync(new ProbeJob(DelayMs: 3), new EnqueueOptions { WorkspaceId = 9, UniqueKey = "u" });

        var claimed = Assert.Single(await app.ClaimAsync(5, worker: "host:1:abc"));
        var again = await app.ClaimAsync(5);

        Assert.Empty(again);
        Assert.Equal((enqueued.Job.Id, "probe", 1, "host:1:abc", 9L, "u"),
            (claimed.Id, claimed.Kind, claimed.Attempt, claimed.AttemptedBy, claimed.WorkspaceId, claimed.UniqueKey));
        var row = await app.GetJobAsync(enqueued.Job.Id);
        Assert.Equal((JobState.Running, 1, "host:1:abc", (DateTime?)app.Now()), (row.State, row.Attempt, row.AttemptedBy, row.AttemptedAt));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ClaimAsync_OneWorkspaceFloods_AnotherWorkspaceStillTakesTurns(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        await app.WithScopeAsync(async sp =>
        {
            var client = sp.GetRequiredService<JobClient>();
            for (var i = 0; i < 2000; i++)
            {
                await client.EnqueueAsync(new ProbeJob(), new EnqueueOptions { WorkspaceId = 1 });
            }
            await sp.GetRequiredService<SignalCraftDbContext>().SaveChangesAsync();
            return 0;
        });
        app.Clock.Advance(TimeSpan.FromSeconds(1)); // B's storm starts after A's: plain FIFO would serve all of A first
        for (var i = 0; i < 10; i++)
        {
            await app.EnqueueAsync(new ProbeJob(), new EnqueueOptions { WorkspaceId = 2 });
        }

        var order = new List<long?>();
        while (order.Count(w => w == 2) < 10 && order.Count < 2010)
        {
            order.AddRange((await app.ClaimAsync(8)).Select(j => j.WorkspaceId));
        }

        var lastOfB = order.LastIndexOf(2);
        var hundredthOfA = order.Select((w, i) => (w, i)).Where(x => x.w == 1).Skip(99).Select(x => x.i).FirstOrDefault(int.MaxValue);
        Assert.True(lastOfB < hundredthOfA, $"B's last job started at position {lastOfB}, after A's 100th ({hundredthOfA})");
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task FailAsync_FirstAttempts_NotClaimableBeforeTheBackoffButAfterIt(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var id = (await app.EnqueueAsync(new ProbeJob())).Job.Id;

        foreach (var (attempt, backoffSeconds) in new[] { (1, 1.0), (2, 16.0), (3, 81.0) })
        {
            var claimed = Assert.Single(await app.ClaimAsync(1));
            Assert.Equal(attempt, claimed.Attempt);
            Assert.Equal(JobState.Retryable, await app.StoreAsync(s => s.FailAsync(claimed, app.Now(), $"boom {attempt}", null)));

            app.Clock.Advance(TimeSpan.FromSeconds(backoffSeconds * 0.89));
            Assert.Empty(await app.ClaimAsync(1));
            app.Clock.Advance(TimeSpan.FromSeconds(backoffSeconds * 0.22));
        }

        var fourth = Assert.Single(await app.ClaimAsync(1));
        Assert.Equal((id, 4), (fourth.Id, fourth.Attempt));
        var errors = JobErrors.Parse((await app.GetJobAsync(id)).Errors);
        Assert.Equal(["boom 1", "boom 2", "boom 3"], errors.Select(e => e.Error));
        Assert.Equal([1, 2, 3], errors.Select(e => e.Attempt));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task FailAsync_RetryAfterGiven_HonoursItInsteadOfTheBackoff(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        await app.EnqueueAsync(new ProbeJob());
        var claimed = Assert.Single(await app.ClaimAsync(1));

        await app.StoreAsync(s => s.FailAsync(claimed, app.Now(), "rate limited (Retry-After: 30)", app.Now().AddSeconds(30)));
        app.Clock.Advance(TimeSpan.FromSeconds(29.9)); // past the 1 s backoff, before Retry-After
        var early = await app.ClaimAsync(1);
        app.Clock.Advance(TimeSpan.FromSeconds(0.1));
        var onTime = await app.ClaimAsync(1);

        Assert.Empty(early);
        Assert.Equal(2, Assert.Single(onTime).Attempt);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task FailAsync_LastAttempt_DiscardsWithEveryErrorOnTheRow(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var id = (await app.EnqueueAsync(new ProbeJob(), new EnqueueOptions { MaxAttempts = 2, UniqueKey = "once" })).Job.Id;

        var first = Assert.Single(await app.ClaimAsync(1));
        await app.StoreAsync(s => s.FailAsync(first, app.Now(), "timeout", null));
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        var second = Assert.Single(await app.ClaimAsync(1));
        var state = await app.StoreAsync(s => s.FailAsync(second, app.Now(), "channel_not_found", null));
        app.Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(JobState.Discarded, state);
        Assert.Empty(await app.ClaimAsync(1));
        var row = await app.GetJobAsync(id);
        Assert.Equal((JobState.Discarded, 2), (row.State, row.Attempt));
        Assert.NotNull(row.FinalizedAt);
        Assert.Equal([(1, "timeout"), (2, "channel_not_found")], JobErrors.Parse(row.Errors).Select(e => (e.Attempt, e.Error)));
        // A discarded job releases its unique key.
        Assert.False((await app.EnqueueAsync(new ProbeJob(), new EnqueueOptions { UniqueKey = "once" })).AlreadyExists);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task RescueAsync_RunningPastRescueAfter_RetriesOrDiscardsAndLeavesLiveJobsAlone(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var orphan = (await app.EnqueueAsync(new ProbeJob())).Job.Id;
        var lastChance = (await app.EnqueueAsync(new ProbeJob(), new EnqueueOptions { MaxAttempts = 1 })).Job.Id;
        Assert.Equal(2, (await app.ClaimAsync(2, worker: "dead-host:1:x")).Count);
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        var live = (await app.EnqueueAsync(new ProbeJob())).Job.Id;
        Assert.Single(await app.ClaimAsync(1, worker: "live-host:2:y"));

        app.Clock.Advance(TimeSpan.FromSeconds(1.5)); // orphans ran 3.5 s, the live one 1.5 s
        var rescued = await app.StoreAsync(s => s.RescueAsync(app.Now(), TimeSpan.FromSeconds(3), batchSize: 1));
        var rescuedMore = await app.StoreAsync(s => s.RescueAsync(app.Now(), TimeSpan.FromSeconds(3), batchSize: 1));
        var nothingLeft = await app.StoreAsync(s => s.RescueAsync(app.Now(), TimeSpan.FromSeconds(3), batchSize: 1));

        Assert.Equal((1, 1, 0), (rescued, rescuedMore, nothingLeft));
        Assert.Equal(JobState.Retryable, (await app.GetJobAsync(orphan)).State);
        Assert.Contains("dead-host:1:x", JobErrors.Parse((await app.GetJobAsync(orphan)).Errors).Single().Error);
        Assert.Equal(JobState.Discarded, (await app.GetJobAsync(lastChance)).State);
        Assert.Equal(JobState.Running, (await app.GetJobAsync(live)).State);
        app.Clock.Advance(TimeSpan.FromSeconds(1.2));
        var retried = Assert.Single(await app.ClaimAsync(5));
        Assert.Equal((orphan, 2), (retried.Id, retried.Attempt));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CompleteAsync_AfterTheJobWasRescued_DoesNotOverwriteTheNewAttempt(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var id = (await app.EnqueueAsync(new ProbeJob())).Job.Id;
        var slow = Assert.Single(await app.ClaimAsync(1, "slow"));
        app.Clock.Advance(TimeSpan.FromSeconds(10));
        await app.StoreAsync(s => s.RescueAsync(app.Now(), TimeSpan.FromSeconds(5), 10));
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        var fresh = Assert.Single(await app.ClaimAsync(1, "fresh"));

        var staleRecorded = await app.StoreAsync(s => s.CompleteAsync(slow, app.Now()));

        Assert.False(staleRecorded);
        var row = await app.GetJobAsync(id);
        Assert.Equal((JobState.Running, "fresh", 2), (row.State, row.AttemptedBy, row.Attempt));
        Assert.True(await app.StoreAsync(s => s.CompleteAsync(fresh, app.Now())));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PruneCompletedAsync_OldCompletedJobs_DeletesThemInBatchesOnly(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        for (var i = 0; i < 3; i++)
        {
            await app.EnqueueAsync(new ProbeJob());
        }
        foreach (var job in await app.ClaimAsync(3))
        {
            await app.StoreAsync(s => s.CompleteAsync(job, app.Now()));
        }
        var pending = (await app.EnqueueAsync(new ProbeJob(), new EnqueueOptions { RunAt = app.Now().AddDays(3) })).Job.Id;

        app.Clock.Advance(TimeSpan.FromHours(23));
        var tooYoung = await app.StoreAsync(s => s.PruneCompletedAsync(TimeSpan.FromDays(1), 10));
        app.Clock.Advance(TimeSpan.FromHours(2));
        var firstBatch = await app.StoreAsync(s => s.PruneCompletedAsync(TimeSpan.FromDays(1), 2));
        var secondBatch = await app.StoreAsync(s => s.PruneCompletedAsync(TimeSpan.FromDays(1), 2));

        Assert.Equal((0, 2, 1), (tooYoung, firstBatch, secondBatch));
        Assert.Equal([pending], (await app.GetJobsAsync()).Select(j => j.Id));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task GetStatsAsync_MixedQueue_CountsPerStateAndOldestDueAge(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var empty = await app.StoreAsync(s => s.GetStatsAsync());
        await app.EnqueueAsync(new ProbeJob());
        await app.EnqueueAsync(new ProbeJob(), new EnqueueOptions { RunAt = app.Now().AddMinutes(10) });
        await app.ClaimAsync(1);
        await app.EnqueueAsync(new ProbeJob());
        app.Clock.Advance(TimeSpan.FromSeconds(5));

        var stats = await app.StoreAsync(s => s.GetStatsAsync());

        Assert.Null(empty.OldestDueAge);
        Assert.All(empty.Counts.Values, c => Assert.Equal(0, c));
        Assert.Equal((1, 1, 1, 0), (stats.Counts[JobState.Available], stats.Counts[JobState.Scheduled], stats.Counts[JobState.Running], stats.Counts[JobState.Completed]));
        Assert.Equal(TimeSpan.FromSeconds(5), stats.OldestDueAge);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TryAcquireLeaseAsync_TwoInstances_OnlyOneHoldsItUntilItExpires(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var ttl = TimeSpan.FromSeconds(3);
        Task<bool> Acquire(string holder) => app.StoreAsync(s => s.TryAcquireLeaseAsync("jobs.maintenance", holder, ttl, app.Now()));

        var a = await Acquire("a");
        var b = await Acquire("b");
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        var aRenews = await Acquire("a");
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        var bWhileRenewed = await Acquire("b");
        app.Clock.Advance(TimeSpan.FromSeconds(1.5));
        var bAfterExpiry = await Acquire("b");
        var aAfterLosing = await Acquire("a");

        Assert.Equal((true, false, true, false, true, false), (a, b, aRenews, bWhileRenewed, bAfterExpiry, aAfterLosing));
    }
}
