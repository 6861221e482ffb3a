using System.Diagnostics;
using SignalCraft.Bench.Storm;

namespace SignalCraft.Bench.Faults;

// One command per drill; each prints a markdown table of its counts and exits 1 when a check fails. Everything
// listens on 127.0.0.1; every loop is bounded in count and time.
//   dotnet bench/faults/bin/Release/net10.0/SignalCraft.Bench.Faults.dll --drill kill [--smoke]   (see DrillOptions)
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        DrillOptions options;
        try
        {
            options = DrillOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
        var clock = Stopwatch.StartNew();
        var paths = BenchPaths.Find();
        var bodies = new SentryBodies(paths.SentryFixtures);
        var needsPostgres = options.Drill is "two-instances" or "pg-outage" || options.Db == "postgres";
        if (needsPostgres && string.IsNullOrEmpty(options.Postgres))
        {
            Console.Error.WriteLine($"FAILED the {options.Drill} drill needs PostgreSQL: --postgres or SIGNALCRAFT_TEST_POSTGRES (an admin connection string).");
            return 1;
        }
        Console.WriteLine($"fault drill {options.Drill} ({(options.Smoke ? "smoke" : "full")}), {Environment.ProcessorCount} CPUs");
        var report = new DrillReport($"Drill {options.Drill} ({(options.Smoke ? "smoke" : "full")}, {DateTime.UtcNow:yyyy-MM-dd})");
        try
        {
            var drill = new DrillContext(options, paths, bodies, report);
            await (options.Drill switch
            {
                "kill" => new KillDrill(drill).RunAsync(),
                "bad-input" => new BadInputDrill(drill).RunAsync(),
                "two-instances" => new TwoInstancesDrill(drill).RunAsync(),
                "pg-outage" => new PgOutageDrill(drill).RunAsync(),
                "slack" => new SlackFailuresDrill(drill).RunAsync(),
                _ => throw new ArgumentException(options.Drill),
            });
        }
        catch (Exception ex)
        {
            report.Fail(ex.ToString());
        }
        Console.WriteLine();
        Console.WriteLine(report.Markdown());
        Console.WriteLine($"took {clock.Elapsed.TotalSeconds:F0} s");
        foreach (var failure in report.Failures)
        {
            Console.Error.WriteLine("FAILED " + failure);
        }
        return report.Failures.Count == 0 ? 0 : 1;
    }
}

/// <summary>What every drill gets: its options, the built binaries, the webhook bodies and the report to fill.</summary>
public sealed record DrillContext(DrillOptions Options, BenchPaths Paths, SentryBodies Bodies, DrillReport Report)
{
    public bool Smoke => Options.Smoke;

    public async Task<BenchDatabase> OpenDatabaseAsync(bool postgres) =>
        postgres ? await BenchDatabase.PostgresAsync(Options.Postgres!) : BenchDatabase.Sqlite();

    /// <summary>Progress lines, so a long run shows where it is.</summary>
    public static void Say(string line) => Console.WriteLine($"  [{DateTime.UtcNow:HH:mm:ss}] {line}");
}
