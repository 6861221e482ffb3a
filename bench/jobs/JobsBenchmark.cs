using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Jobs;

namespace SignalCraft.Bench.Jobs;

// Enqueue → start latency of the durable job queue: probe jobs are enqueued one per transaction at a steady pace
// (an idle queue being woken, the common case for a page), and each start is read back from job_probe_runs.
//   sqlite-local    one instance on SQLite, woken by the in-process commit signal
//   postgres-local  one instance on PostgreSQL, same signal
//   postgres-remote the enqueuer is another instance (no worker): only LISTEN/NOTIFY can wake the worker
// Usage: dotnet bench/jobs/bin/Release/net10.0/SignalCraft.Bench.Jobs.dll [--smoke] [--jobs N] [--rounds R] [--gap-ms 50]
// PostgreSQL comes from SIGNALCRAFT_TEST_POSTGRES (an admin connection string); without it the PostgreSQL
// scenarios are skipped, unless CI=true or SIGNALCRAFT_TEST_REQUIRE_ALL=1, where that is a failure.
internal static class JobsBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var jobs = IntArg("--jobs", smoke ? 80 : 1000);
        var rounds = IntArg("--rounds", smoke ? 1 : 3);
        var gap = TimeSpan.FromMilliseconds(IntArg("--gap-ms", 50));
        var admin = Environment.GetEnvironmentVariable("SIGNALCRAFT_TEST_POSTGRES");
        var requireAll = Environment.GetEnvironmentVariable("CI") == "true" || Environment.GetEnvironmentVariable("SIGNALCRAFT_TEST_REQUIRE_ALL") == "1";

        Console.WriteLine($"jobs benchmark: {jobs} probe jobs per round, one every {gap.TotalMilliseconds} ms, {rounds} round(s), poll interval 30 s");
        var failures = new List<string>();
        var scenarios = new List<(string Name, bool Postgres, bool Remote)>
        {
            ("sqlite-local", false, false), ("postgres-local", true, false), ("postgres-remote", true, true),
        };
        foreach (var (name, postgres, remote) in scenarios)
        {
            if (postgres && string.IsNullOrEmpty(admin))
            {
                var message = $"{name}: skipped, SIGNALCRAFT_TEST_POSTGRES is not set";
                Console.WriteLine(message);
                if (requireAll)
                {
                    failures.Add(message);
                }
                continue;
            }
            var results = new List<Latency>();
            for (var round = 0; round < rounds; round++)
            {
                await using var db = postgres ? await BenchDatabase.PostgresAsync(admin!) : BenchDatabase.Sqlite();
                var result = await RunRoundAsync(db, remote);
                Console.WriteLine($"  {name} round {round + 1}: p50 {result.P50:F1} ms, p99 {result.P99:F1} ms, max {result.Max:F1} ms");
                results.Add(result);
                if (result.Problem is not null)
                {
                    failures.Add($"{name}: {result.Problem}");
                }
            }
            Console.WriteLine($"{name,-16} enqueue→start median of {rounds}: p50 {Median(results.Select(r => r.P50)):F1} ms, " +
                $"p99 {Median(results.Select(r => r.P99)):F1} ms");
        }

        foreach (var failure in failures)
        {
            Console.Error.WriteLine("FAILED " + failure);
        }
        return failures.Count == 0 ? 0 : 1;

        async Task<Latency> RunRoundAsync(BenchDatabase db, bool remote)
        {
            // The worker instance starts first: it migrates the database and, on PostgreSQL, starts listening.
            await using var worker = new BenchHost(db.Settings(workers: 4));
            _ = worker.Services;
            await using var enqueuer = remote ? new BenchHost(db.Settings(workers: 0)) : null;
            var client = enqueuer ?? worker;
            _ = client.Services;
            if (db.Provider == "Postgres")
            {
                await db.WaitForListenerAsync(TimeSpan.FromSeconds(20));
            }

            await EnqueueAsync(client, 20); // warm-up (JIT, pools), not measured
            await WaitForRunsAsync(worker, 20, TimeSpan.FromSeconds(30));
            var warmIds = await ProbeJobIdsAsync(worker);

            await EnqueueAsync(client, jobs);
            var complete = await WaitForRunsAsync(worker, jobs + 20, TimeSpan.FromSeconds(smoke ? 30 : 120));
            await using var scope = worker.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>();
        var rows = await context.Set<JobProbeRun>().AsNoTracking()
            .Join(context.Set<Job>(), r => r.JobId, j => j.Id, (r, j) => new { r.JobId, r.StartedAt, j.CreatedAt })
            .ToListAsync();
        var measured = rows.Where(r => !warmIds.Contains(r.JobId)).ToList();
            var latencies = measured.Select(r => (r.StartedAt - r.CreatedAt).TotalMilliseconds).Order().ToList();
            string? problem = null;
            if (!complete || measured.Select(r => r.JobId).Distinct().Count() != jobs)
            {
                problem = $"{measured.Select(r => r.JobId).Distinct().Count()} of {jobs} jobs started";
            }
            else if (measured.Count != jobs)
            {
                problem = $"{measured.Count - jobs} job(s) started more than once";
            }
            var latency = new Latency(Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.LastOrDefault(), problem);
            if (problem is null && latency.P50 > 1000)
            {
                latency = latency with { Problem = $"median start latency {latency.P50:F0} ms: jobs wait for the poll, not a wake-up" };
            }
            return latency;
        }

        async Task EnqueueAsync(BenchHost host, int count)
        {
            var pace = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                await using var scope = host.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<JobClient>().EnqueueAsync(new ProbeJob());
                await scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>().SaveChangesAsync();
                var due = gap * (i + 1);
                if (pace.Elapsed < due)
                {
                    await Task.Delay(due - pace.Elapsed);
                }
            }
        }

        async Task<bool> WaitForRunsAsync(BenchHost host, int count, TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < timeout)
            {
                await using var scope = host.Services.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>().Set<JobProbeRun>().CountAsync() >= count)
                {
                    return true;
                }
                await Task.Delay(50);
            }
            return false;
        }

        async Task<HashSet<long>> ProbeJobIdsAsync(BenchHost host)
        {
            await using var scope = host.Services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>().Set<JobProbeRun>().Select(r => r.JobId).ToListAsync()).ToHashSet();
        }

        int IntArg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
        }

        static double Percentile(List<double> sorted, double p) =>
            sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
        }
    }
}

internal sealed record Latency(double P50, double P99, double Max, string? Problem);
