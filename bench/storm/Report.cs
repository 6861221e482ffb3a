using System.Globalization;
using System.Text;

namespace SignalCraft.Bench.Storm;

/// <summary>Markdown tables: medians over the repetitions with the [min–max] range.</summary>
public static class Report
{
    public static string Range(IEnumerable<double> values, string format = "F0")
    {
        var list = values.Where(v => !double.IsNaN(v)).ToList();
        if (list.Count == 0)
        {
            return "n/a";
        }
        var median = Stats.Median(list).ToString(format, CultureInfo.InvariantCulture);
        return list.Count == 1
            ? median
            : $"{median} [{list.Min().ToString(format, CultureInfo.InvariantCulture)}–{list.Max().ToString(format, CultureInfo.InvariantCulture)}]";
    }

    public static string Ingest(IReadOnlyList<IngestRun> runs, int repetitions, TimeSpan duration, List<string> goals)
    {
        var text = new StringBuilder();
        text.AppendLine($"### Ingest (closed loop, {duration.TotalSeconds:0.#} s per run, median [min–max] of {repetitions})");
        text.AppendLine();
        text.AppendLine("| conns | server | accepted/s | p50 ms | p99 ms | errors | CPU cores | CPU ms/req | peak RSS MB |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var group in runs.GroupBy(r => (r.Concurrency, r.Server)))
        {
            var g = group.ToList();
            text.AppendLine($"| {group.Key.Concurrency} | {group.Key.Server} | {Range(g.Select(r => r.Load.PerSecond))} | " +
                $"{Range(g.Select(r => r.Load.P50), "F1")} | {Range(g.Select(r => r.Load.P99), "F1")} | {g.Sum(r => r.Load.Errors)} | " +
                $"{Range(g.Select(r => r.CpuCores), "F2")} | {Range(g.Select(r => r.CpuMsPerRequest), "F2")} | {Range(g.Select(r => r.PeakRssMb))} |");
        }
        text.AppendLine();
        text.AppendLine("SignalCraft as a ratio to each baseline in the same repetition (median [min–max]):");
        text.AppendLine();
        text.AppendLine("| conns | metric | ÷ Alertmanager | ÷ Kestrel |");
        text.AppendLine("|---|---|---|---|");
        foreach (var c in runs.Select(r => r.Concurrency).Distinct())
        {
            (string Name, Func<IngestRun, double> Value)[] metrics =
            [
                ("accepted/s", r => r.Load.PerSecond), ("p99 latency", r => r.Load.P99), ("CPU ms/req", r => r.CpuMsPerRequest),
                ("peak RSS", r => r.PeakRssMb),
            ];
            foreach (var (name, value) in metrics)
            {
                text.AppendLine($"| {c} | {name} | {Range(Ratios(runs, c, IngestBenchmark.Alertmanager, value), "F2")}× | " +
                    $"{Range(Ratios(runs, c, IngestBenchmark.Kestrel, value), "F2")}× |");
            }
            var vsAm = Stats.Median(Ratios(runs, c, IngestBenchmark.Alertmanager, r => r.Load.PerSecond));
            var vsKestrel = Stats.Median(Ratios(runs, c, IngestBenchmark.Kestrel, r => r.Load.PerSecond));
            var p99 = Stats.Median(Mine(runs, c).Select(r => r.Load.P99));
            var rss = Mine(runs, c).Select(r => r.PeakRssMb).DefaultIfEmpty(double.NaN).Max();
            goals.Add(Goal($"ingest c={c}: accepted/s ≥ 1.0 × Alertmanager", vsAm >= 1.0, $"{vsAm:F2}×"));
            goals.Add(Goal($"ingest c={c}: accepted/s ≥ 0.3 × Kestrel", vsKestrel >= 0.3, $"{vsKestrel:F2}×"));
            goals.Add(Goal($"ingest c={c}: accept p99 ≤ 50 ms", p99 <= 50, $"{p99:F1} ms"));
            goals.Add(Goal($"ingest c={c}: peak RSS ≤ 300 MB", rss <= 300, $"{rss:F0} MB"));
        }
        return text.ToString();
    }

    public static string Goal(string name, bool met, string value) => $"| {name} | {value} | {(met ? "met" : "**missed**")} |";

    public static string Goals(IEnumerable<string> goals) =>
        "| goal | measured (median) | |\n|---|---|---|\n" + string.Join('\n', goals) + "\n";

    private static IEnumerable<IngestRun> Mine(IReadOnlyList<IngestRun> runs, int c) =>
        runs.Where(r => r.Concurrency == c && r.Server == IngestBenchmark.SignalCraft);

    private static List<double> Ratios(IReadOnlyList<IngestRun> runs, int c, string baseline, Func<IngestRun, double> value) =>
        Mine(runs, c)
            .Select(mine => (mine, other: runs.FirstOrDefault(r => r.Concurrency == c && r.Server == baseline && r.Repetition == mine.Repetition)))
            .Where(p => p.other is not null)
            .Select(p => value(p.mine) / value(p.other!))
            .ToList();
}
