namespace SignalCraft.Bench.Storm;

/// <summary>One measured load run against one server.</summary>
public sealed record IngestRun(string Server, int Concurrency, int Repetition, LoadResult Load, double CpuCores, double CpuMsPerRequest, double PeakRssMb);

/// <summary>
/// Ingest: the same closed-loop load, at each concurrency, against SignalCraft (signed Sentry webhooks, durable),
/// Alertmanager (single-alert posts, in memory) and bare Kestrel (reads the Sentry body, answers 202), interleaved
/// within each repetition so drift on the shared machine hits all three alike.
/// </summary>
public sealed class IngestBenchmark(BenchOptions options, SentryBodies bodies)
{
    public const string SignalCraft = "SignalCraft";
    public const string Alertmanager = "Alertmanager";
    public const string Kestrel = "Kestrel";

    public async Task<List<IngestRun>> RunAsync(SignalCraftInstance app, Uri webhookUrl, Alertmanager? alertmanager, ChildProcess kestrel,
        Uri kestrelUrl, List<string> failures)
    {
        var servers = new List<(string Name, ChildProcess Process, Func<long, HttpRequestMessage> Make, Func<HttpResponseMessage, bool> Ok)>
        {
            (Kestrel, kestrel, n => SentryBodies.ToRequest(kestrelUrl, Webhook(n)), r => r.StatusCode == System.Net.HttpStatusCode.Accepted),
        };
        if (alertmanager is not null)
        {
            servers.Add((Alertmanager, alertmanager.Process, n => Storm.Alertmanager.SingleAlert(alertmanager.Url, n, Group(n), Project(n)),
                r => r.IsSuccessStatusCode));
        }
        servers.Add((SignalCraft, app.Process, n => SentryBodies.ToRequest(webhookUrl, Webhook(n)),
            r => r.StatusCode == System.Net.HttpStatusCode.Accepted));

        servers.RemoveAll(s => !options.Servers.Contains(s.Name.ToLowerInvariant()));
        // Warm-up, not measured: JIT tiering of a large .NET app takes tens of seconds on a busy 2-core machine, and a
        // long-running server would be past it. Rounds at the highest concurrency until the rate stops rising (bounded).
        foreach (var server in servers)
        {
            var best = 0.0;
            for (var round = 0; round < options.WarmupRounds; round++)
            {
                var warm = await LoadRunner.RunAsync(options.Concurrency.Max(), options.Warmup, 1_000_000, server.Make, server.Ok);
                if (warm.Errors > 0)
                {
                    failures.Add($"{server.Name} warm-up: {warm.Errors} errors ({Describe(warm.ErrorKinds)})");
                    break;
                }
                if (warm.PerSecond < best * 1.1)
                {
                    break;
                }
                best = Math.Max(best, warm.PerSecond);
            }
            Console.WriteLine($"  warm-up {server.Name}: {best:F0}/s");
        }

        var runs = new List<IngestRun>();
        for (var rep = 1; rep <= options.Repetitions; rep++)
        {
            foreach (var c in options.Concurrency)
            {
                foreach (var server in servers)
                {
                    server.Process.ResetPeak();
                    var cpu0 = server.Process.CpuTime;
                    var load = await LoadRunner.RunAsync(c, options.IngestDuration, 10_000_000, server.Make, server.Ok);
                    var cpu = (server.Process.CpuTime - cpu0).TotalSeconds;
                    var run = new IngestRun(server.Name, c, rep, load, cpu / load.Elapsed.TotalSeconds,
                        load.Accepted == 0 ? double.NaN : cpu * 1000 / load.Accepted, server.Process.PeakRssMb);
                    runs.Add(run);
                    Console.WriteLine($"  ingest rep {rep} c={c,-3} {server.Name,-12} {load.PerSecond,8:F0}/s  p50 {load.P50,7:F1} ms  p99 {load.P99,7:F1} ms  " +
                        $"errors {load.Errors}  cpu {run.CpuCores:F2} cores  rss {run.PeakRssMb:F0} MB");
                    if (load.Errors > 0)
                    {
                        failures.Add($"{server.Name} c={c} rep {rep}: {load.Errors} errors ({Describe(load.ErrorKinds)})");
                    }
                    if (load.Accepted == 0)
                    {
                        failures.Add($"{server.Name} c={c} rep {rep}: nothing accepted");
                    }
                }
            }
        }
        return runs;
    }

    private static int Group(long n) => (int)(n % 500);

    private static string Project(long n) => $"team-{Group(n) % 25:00}";

    private SentryBodies.Webhook Webhook(long n) => bodies.Build(n, Group(n), Project(n));

    public static string Describe(IReadOnlyDictionary<string, long> kinds) => string.Join(", ", kinds.Select(k => $"{k.Key}×{k.Value}"));
}
