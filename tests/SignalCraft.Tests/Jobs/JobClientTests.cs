using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Jobs;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Jobs;

public sealed class JobClientTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EnqueueAsync_CallerRollsBack_JobNeverExistsAndNoWorkerIsWoken(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var signal = app.Services.GetRequiredService<JobSignal>().Committed;
        signal.Consume();

        await app.WithScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<SignalCraftDbContext>();
            await using var transaction = await context.Database.BeginTransactionAsync();
            await sp.GetRequiredService<JobClient>().EnqueueAsync(new ProbeJob());
            await context.SaveChangesAsync();
            Assert.False(signal.IsSet); // saved but not committed: nothing to claim yet
            await transaction.RollbackAsync();
            return 0;
        });

        Assert.Empty(await app.GetJobsAsync());
        Assert.False(signal.IsSet);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EnqueueAsync_CallerCommits_JobIsAvailableAndWorkerIsWokenAfterCommit(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var signal = app.Services.GetRequiredService<JobSignal>().Committed;
        signal.Consume();

        var id = await app.WithScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<SignalCraftDbContext>();
            await using var transaction = await context.Database.BeginTransactionAsync();
            var result = await sp.GetRequiredService<JobClient>().EnqueueAsync(new ProbeJob(DelayMs: 5),
                new EnqueueOptions { WorkspaceId = 42, Priority = JobPriority.High });
            await context.SaveChangesAsync();
            Assert.False(signal.IsSet);
            await transaction.CommitAsync();
            return result.Job.Id;
        });

        Assert.True(signal.IsSet);
        var job = await app.GetJobAsync(id);
        Assert.Equal("probe", job.Kind);
        Assert.Equal(JobState.Available, job.State);
        Assert.Equal(JobPriority.High, job.Priority);
        Assert.Equal(42, job.WorkspaceId);
        Assert.Equal(app.Now(), job.ScheduledAt);
        Assert.Contains("\"delayMs\":5", job.Args);
        Assert.Equal(0, job.Attempt);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EnqueueAsync_UniqueKeyHeldByUnfinishedJob_IsANoOpReportingTheExistingJob(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var unique = new EnqueueOptions { UniqueKey = "escalate:group-7:cycle-1:step-0", RunAt = app.Now().AddMinutes(5) };

        var first = await app.EnqueueAsync(new ProbeJob(), unique);
        var second = await app.EnqueueAsync(new ProbeJob(), unique);
        var inOneUnit = await app.WithScopeAsync(async sp =>
        {
            var client = sp.GetRequiredService<JobClient>();
            var a = await client.EnqueueAsync(new ProbeJob(), new EnqueueOptions { UniqueKey = "k2" });
            var b = await client.EnqueueAsync(new ProbeJob(), new EnqueueOptions { UniqueKey = "k2" });
            await sp.GetRequiredService<SignalCraftDbContext>().SaveChangesAsync();
            return (a.AlreadyExists, b.AlreadyExists);
        });

        Assert.False(first.AlreadyExists);
        Assert.True(second.AlreadyExists);
        Assert.Equal(first.Job.Id, second.Job.Id);
        Assert.Equal((false, true), inOneUnit);
        Assert.Equal(2, (await app.GetJobsAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EnqueueAsync_UniqueKeyOfCompletedJob_AddsANewJob(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var unique = new EnqueueOptions { UniqueKey = "update:group-7" };
        var first = await app.EnqueueAsync(new ProbeJob(), unique);
        var claimed = Assert.Single(await app.ClaimAsync(10));
        // Running still holds the key: an update enqueued now would be coalesced into the running one.
        Assert.True((await app.EnqueueAsync(new ProbeJob(), unique)).AlreadyExists);

        Assert.True(await app.StoreAsync(s => s.CompleteAsync(claimed, app.Now())));
        var again = await app.EnqueueAsync(new ProbeJob(), unique);

        Assert.False(again.AlreadyExists);
        Assert.NotEqual(first.Job.Id, again.Job.Id);
        Assert.Equal([JobState.Completed, JobState.Available], (await app.GetJobsAsync()).Select(j => j.State));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SaveChanges_TwoUnitsRaceForOneUniqueKey_LoserGetsDuplicateJobException(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        await using var scopeA = app.Services.CreateAsyncScope();
        await using var scopeB = app.Services.CreateAsyncScope();
        var options = new EnqueueOptions { UniqueKey = "race" };

        // Both check before either commits, so both believe the key is free.
        Assert.False((await scopeA.ServiceProvider.GetRequiredService<JobClient>().EnqueueAsync(new ProbeJob(), options)).AlreadyExists);
        Assert.False((await scopeB.ServiceProvider.GetRequiredService<JobClient>().EnqueueAsync(new ProbeJob(), options)).AlreadyExists);
        await scopeA.ServiceProvider.GetRequiredService<SignalCraftDbContext>().SaveChangesAsync();
        var error = await Assert.ThrowsAsync<DuplicateJobException>(
            () => scopeB.ServiceProvider.GetRequiredService<SignalCraftDbContext>().SaveChangesAsync());

        Assert.Equal(["race"], error.UniqueKeys);
        Assert.IsAssignableFrom<DbUpdateException>(error);
        Assert.Single(await app.GetJobsAsync());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CancelByUniqueKeyAsync_ScheduledJob_IsCancelledAndNeverClaimed(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var escalation = await app.EnqueueAsync(new ProbeJob(), new EnqueueOptions { UniqueKey = "esc:1", RunAt = app.Now().AddMinutes(5) });
        var other = await app.EnqueueAsync(new ProbeJob(), new EnqueueOptions { UniqueKey = "esc:2", RunAt = app.Now().AddMinutes(5) });

        // Inside a transaction that rolls back, the cancellation is undone with it.
        await app.WithScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<SignalCraftDbContext>();
            await using var transaction = await context.Database.BeginTransactionAsync();
            Assert.Equal(1, await sp.GetRequiredService<JobClient>().CancelByUniqueKeyAsync("esc:1"));
            await transaction.RollbackAsync();
            return 0;
        });
        Assert.Equal(JobState.Scheduled, (await app.GetJobAsync(escalation.Job.Id)).State);

        var cancelled = await app.WithScopeAsync(sp => sp.GetRequiredService<JobClient>().CancelByUniqueKeyAsync("esc:1"));
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        var claimed = await app.ClaimAsync(10);

        Assert.Equal(1, cancelled);
        var row = await app.GetJobAsync(escalation.Job.Id);
        Assert.Equal(JobState.Cancelled, row.State);
        Assert.NotNull(row.FinalizedAt);
        Assert.Equal([other.Job.Id], claimed.Select(j => j.Id));
        Assert.Equal(0, await app.WithScopeAsync(sp => sp.GetRequiredService<JobClient>().CancelByUniqueKeyAsync("esc:1")));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task RescheduleByUniqueKeyAsync_Snooze_MovesTheDueTime(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var openedAt = app.Now();
        var job = await app.EnqueueAsync(new ProbeJob(), new EnqueueOptions { UniqueKey = "esc:snoozed", RunAt = openedAt.AddMinutes(10) });

        var moved = await app.WithScopeAsync(sp => sp.GetRequiredService<JobClient>().RescheduleByUniqueKeyAsync("esc:snoozed", openedAt.AddMinutes(40)));
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        var beforeNewTime = await app.ClaimAsync(10);
        app.Clock.Advance(TimeSpan.FromMinutes(26));
        var afterNewTime = await app.ClaimAsync(10);

        Assert.Equal(1, moved);
        Assert.Empty(beforeNewTime);
        Assert.Equal([job.Job.Id], afterNewTime.Select(j => j.Id));
        Assert.Equal(openedAt.AddMinutes(40), afterNewTime[0].ScheduledAt);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task RescheduleByUniqueKeyAsync_UnsavedJobInTheSameUnit_MovesItBeforeItIsSaved(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = JobTestHelpers.StartWithoutWorker(db);
        var at = app.Now().AddHours(1);

        var (moved, cancelled) = await app.WithScopeAsync(async sp =>
        {
            var client = sp.GetRequiredService<JobClient>();
            await client.EnqueueAsync(new ProbeJob(), new EnqueueOptions { UniqueKey = "a" });
            await client.EnqueueAsync(new ProbeJob(), new EnqueueOptions { UniqueKey = "b" });
            var m = await client.RescheduleByUniqueKeyAsync("a", at);
            var c = await client.CancelByUniqueKeyAsync("b");
            await sp.GetRequiredService<SignalCraftDbContext>().SaveChangesAsync();
            return (m, c);
        });

        var job = Assert.Single(await app.GetJobsAsync());
        Assert.Equal((1, 1), (moved, cancelled));
        Assert.Equal(("a", JobState.Scheduled, at), (job.UniqueKey, job.State, job.ScheduledAt));
    }
}
