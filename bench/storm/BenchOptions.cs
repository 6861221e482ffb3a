using System.Globalization;

namespace SignalCraft.Bench.Storm;

/// <summary>Command-line options; <c>--smoke</c> shrinks every count and duration so the whole run fits in 30 s.</summary>
public sealed record BenchOptions
{
    public bool Smoke { get; init; }
    public string Db { get; init; } = "sqlite";
    public string? Postgres { get; init; }
    public int Repetitions { get; init; } = 3;
    public TimeSpan IngestDuration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most warm-up rounds per server; warming stops earlier once the rate stops rising by 10 %.</summary>
    public int WarmupRounds { get; init; } = 8;
    public int[] Concurrency { get; init; } = [8, 64];
    public bool Ingest { get; init; } = true;
    public bool Storm { get; init; } = true;
    public int StormAlerts { get; init; } = 100_000;
    public TimeSpan StormDuration { get; init; } = TimeSpan.FromSeconds(60);
    public int StormGroups { get; init; } = 500;
    public int StormChannels { get; init; } = 25;
    public int ProbesPerPoint { get; init; } = 10;
    public int StormConnections { get; init; } = 64;

    /// <summary>Where the storm's notifications go: <c>slack</c> (the emulator) or <c>webhook</c> (targets served here).</summary>
    public string Targets { get; init; } = "slack";

    /// <summary>Which ingest servers to run (all three by default; ratios need the baselines).</summary>
    public IReadOnlyList<string> Servers { get; init; } = ["kestrel", "alertmanager", "signalcraft"];

    /// <summary>Extra SignalCraft settings (<c>--app-setting Key=Value</c>), passed as environment variables.</summary>
    public IReadOnlyDictionary<string, string> AppSettings { get; init; } = new Dictionary<string, string>();

    public const string Usage = """
        dotnet bench/storm/bin/Release/net10.0/SignalCraft.Bench.Storm.dll [options]
          --smoke                 tiny run (≤ 30 s) that fails on any lost or wrong answer
          --db sqlite|postgres    SignalCraft's database (PostgreSQL: --postgres or SIGNALCRAFT_TEST_POSTGRES, an admin connection string)
          --reps N                repetitions of each ingest run (3)
          --seconds S             duration of each ingest run (10)
          --concurrency 8,64      connections of the ingest runs
          --servers LIST          ingest servers to run: kestrel,alertmanager,signalcraft (all)
          --only ingest|storm     run one part
          --storm-alerts N        alerts in the storm (100000), --storm-seconds S (60), --groups N (500), --channels N (25)
          --targets slack|webhook where the storm's rules send (the Slack emulator by default)
          --app-setting K=V       a SignalCraft setting for this run (repeatable), e.g. Database:SqliteSynchronous=NORMAL
        """;

    public static BenchOptions Parse(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var options = smoke
            ? new BenchOptions
            {
                // Every server, the Slack connect, routing, paging and the database check run; the figures mean nothing.
                Smoke = true, Repetitions = 1, IngestDuration = TimeSpan.FromSeconds(1), Warmup = TimeSpan.FromSeconds(0.5), WarmupRounds = 1,
                Concurrency = [8], StormAlerts = 60, StormDuration = TimeSpan.FromSeconds(2), StormGroups = 6, StormChannels = 2,
                ProbesPerPoint = 1, StormConnections = 4,
            }
            : new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--smoke" => options,
                "--db" => options with { Db = Next().ToLowerInvariant() },
                "--postgres" => options with { Postgres = Next() },
                "--reps" => options with { Repetitions = Math.Max(1, NextInt()) },
                "--seconds" => options with { IngestDuration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--concurrency" => options with { Concurrency = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                "--only" => Next() switch
                {
                    "ingest" => options with { Storm = false },
                    "storm" => options with { Ingest = false },
                    var other => throw new ArgumentException($"--only takes ingest or storm, not {other}."),
                },
                "--storm-alerts" => options with { StormAlerts = NextInt() },
                "--storm-seconds" => options with { StormDuration = TimeSpan.FromSeconds(NextInt()) },
                "--groups" => options with { StormGroups = NextInt() },
                "--channels" => options with { StormChannels = NextInt() },
                "--probes" => options with { ProbesPerPoint = NextInt() },
                "--targets" => options with { Targets = Next() is "webhook" ? "webhook" : "slack" },
                "--servers" => options with { Servers = Next().ToLowerInvariant().Split(',') },
                "--app-setting" => Next().Split('=', 2) is [var key, var value]
                    ? options with { AppSettings = new Dictionary<string, string>(options.AppSettings) { [key.Replace(":", "__")] = value } }
                    : throw new ArgumentException("--app-setting takes Key=Value, e.g. Database:SqliteSynchronous=NORMAL."),
                _ => throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}"),
            };
        }
        if (options.Db is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException("--db takes sqlite or postgres.");
        }
        return options with { Postgres = options.Postgres ?? Environment.GetEnvironmentVariable("SIGNALCRAFT_TEST_POSTGRES") };
    }

    /// <summary>Under CI (or SIGNALCRAFT_TEST_REQUIRE_ALL=1) a missing Alertmanager or PostgreSQL fails the run.</summary>
    public static bool RequireAll =>
        Environment.GetEnvironmentVariable("CI") == "true" || Environment.GetEnvironmentVariable("SIGNALCRAFT_TEST_REQUIRE_ALL") == "1";
}
