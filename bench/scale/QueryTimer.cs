using System.Diagnostics;
using System.Text.Json;

namespace SignalCraft.Bench.Scale;

/// <summary>Times API calls as a signed-in user makes them, one at a time, after a warm-up call.</summary>
public sealed class QueryTimer(HttpClient api, int samples)
{
    public sealed record Timing(string What, double P50Ms, double P95Ms, int Samples);

    public async Task<Timing> TimeAsync(string what, Func<int, string> url)
    {
        await GetAsync(url(0));
        var ms = new List<double>(samples);
        for (var i = 1; i <= samples; i++)
        {
            var watch = Stopwatch.StartNew();
            await GetAsync(url(i));
            ms.Add(watch.Elapsed.TotalMilliseconds);
        }
        var sorted = ms.Order().ToArray();
        var timing = new Timing(what, Storm.Stats.Percentile(sorted, 0.5), Storm.Stats.Percentile(sorted, 0.95), samples);
        Console.WriteLine($"  {what}: p50 {timing.P50Ms:F1} ms, p95 {timing.P95Ms:F1} ms");
        return timing;
    }

    /// <summary>Pages <paramref name="depth"/> deep with the cursor; the timing is per page.</summary>
    public async Task<Timing> TimeDeepPagingAsync(int depth)
    {
        var ms = new List<double>();
        for (var run = 0; run < Math.Max(1, samples / depth); run++)
        {
            string? cursor = null;
            for (var page = 0; page < depth; page++)
            {
                var watch = Stopwatch.StartNew();
                var body = await GetAsync("api/alerts?limit=50" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
                ms.Add(watch.Elapsed.TotalMilliseconds);
                cursor = body.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
                if (cursor is null)
                {
                    break;
                }
            }
        }
        var sorted = ms.Order().ToArray();
        return new Timing($"inbox, paging {depth} pages deep (per page)", Storm.Stats.Percentile(sorted, 0.5), Storm.Stats.Percentile(sorted, 0.95),
            sorted.Length);
    }

    private async Task<JsonElement> GetAsync(string url)
    {
        using var response = await api.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {url}: HTTP {(int)response.StatusCode} {text}");
        }
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
