using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Jobs;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Jobs;

/// <summary>Shortcuts for job tests: an app without a worker, and enqueue / claim / read in one line each.</summary>
internal static class JobTestHelpers
{
    /// <summary>SignalCraft on <paramref name="db"/> with a fake clock and no worker (tests drive claims themselves).</summary>
    public static SignalCraftApp StartWithoutWorker(TestDatabase db, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Jobs:Workers"] = "0" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var app = new SignalCraftApp(db, all);
        app.Start();
        return app;
    }

    public static DateTime Now(this SignalCraftApp app) => app.Clock.GetUtcNow().UtcDateTime;

    /// <summary>Enqueues and commits one job in its own unit of work; returns the result.</summary>
    public static Task<EnqueueResult> EnqueueAsync<TArgs>(this SignalCraftApp app, TArgs args, EnqueueOptions? options = null)
        where TArgs : IJobArgs =>
        app.WithScopeAsync(async sp =>
        {
            var result = await sp.GetRequiredService<JobClient>().EnqueueAsync(args, options);
            await sp.GetRequiredService<SignalCraftDbContext>().SaveChangesAsync();
            return result;
        });

    public static Task<IReadOnlyList<ClaimedJob>> ClaimAsync(this SignalCraftApp app, int limit, string worker = "test-worker") =>
        app.WithScopeAsync(sp => sp.GetRequiredService<JobStore>().ClaimAsync(limit, worker, app.Now()));

    public static Task<Job> GetJobAsync(this SignalCraftApp app, long id) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<Job>().AsNoTracking().SingleAsync(j => j.Id == id));

    public static Task<List<Job>> GetJobsAsync(this SignalCraftApp app) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<Job>().AsNoTracking().OrderBy(j => j.Id).ToListAsync());

    public static Task<T> StoreAsync<T>(this SignalCraftApp app, Func<JobStore, Task<T>> work) =>
        app.WithScopeAsync(sp => work(sp.GetRequiredService<JobStore>()));
}
