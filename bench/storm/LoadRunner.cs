using System.Diagnostics;
using System.Net;

namespace SignalCraft.Bench.Storm;

/// <summary>What one load run saw from the client side.</summary>
public sealed record LoadResult(long Accepted, long Errors, TimeSpan Elapsed, double[] LatenciesMs, IReadOnlyDictionary<string, long> ErrorKinds)
{
    public double PerSecond => Accepted / Elapsed.TotalSeconds;
    public double P50 => Stats.Percentile(LatenciesMs, 0.50);
    public double P99 => Stats.Percentile(LatenciesMs, 0.99);
}

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers on as many connections each send one request, wait for the answer and
/// send the next, until the duration or the request budget is used up (both bound every loop).
/// </summary>
public static class LoadRunner
{
    public static HttpClient Client(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseProxy = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    public static async Task<LoadResult> RunAsync(int concurrency, TimeSpan duration, long maxRequests,
        Func<long, HttpRequestMessage> makeRequest, Func<HttpResponseMessage, bool>? accepted = null)
    {
        accepted ??= r => r.StatusCode == HttpStatusCode.Accepted;
        using var client = Client(concurrency);
        long issued = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>(4096);
            var errors = new Dictionary<string, long>();
            long ok = 0;
            while (clock.Elapsed < duration)
            {
                var n = Interlocked.Increment(ref issued);
                if (n > maxRequests)
                {
                    break;
                }
                using var request = makeRequest(n);
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    if (accepted(response))
                    {
                        ok++;
                        latencies.Add(ms);
                    }
                    else
                    {
                        Count(errors, ((int)response.StatusCode).ToString());
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Count(errors, ex.GetType().Name);
                }
            }
            return (ok, latencies, errors);
        })).ToArray();
        var results = await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        var kinds = new Dictionary<string, long>();
        foreach (var (_, _, errors) in results)
        {
            foreach (var (kind, count) in errors)
            {
                kinds[kind] = kinds.GetValueOrDefault(kind) + count;
            }
        }
        return new LoadResult(results.Sum(r => r.ok), kinds.Values.Sum(), elapsed,
            results.SelectMany(r => r.latencies).Order().ToArray(), kinds);
    }

    private static void Count(Dictionary<string, long> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}

public static class Stats
{
    /// <summary>Nearest-rank percentile of an ascending array (NaN when empty).</summary>
    public static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
