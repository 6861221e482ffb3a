namespace SignalCraft.Bench.Faults;

/// <summary>Command-line options: which drill, <c>--smoke</c> (every count and duration shrunk to fit 30 s), the database.</summary>
public sealed record DrillOptions(string Drill, bool Smoke, string Db, string? Postgres)
{
    public static readonly string[] Drills = ["kill", "bad-input", "two-instances", "pg-outage", "slack"];

    public const string Usage = """
        dotnet bench/faults/bin/Release/net10.0/SignalCraft.Bench.Faults.dll --drill kill|bad-input|two-instances|pg-outage|slack [options]
          --smoke                 a short run (≤ 30 s) with every check of the full one
          --db sqlite|postgres    SignalCraft's database for kill, bad-input and slack (sqlite); the others always use PostgreSQL
          --postgres CS           an admin connection string (default: SIGNALCRAFT_TEST_POSTGRES)
        """;

    public static DrillOptions Parse(string[] args)
    {
        string? drill = null;
        var smoke = false;
        var db = "sqlite";
        string? postgres = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--drill": drill = Next(); break;
                case "--smoke": smoke = true; break;
                case "--db": db = Next().ToLowerInvariant(); break;
                case "--postgres": postgres = Next(); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}");
            }
        }
        if (drill is null || !Drills.Contains(drill))
        {
            throw new ArgumentException($"--drill takes one of {string.Join(", ", Drills)}.\n{Usage}");
        }
        if (db is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException("--db takes sqlite or postgres.");
        }
        return new DrillOptions(drill, smoke, db, postgres ?? Environment.GetEnvironmentVariable("SIGNALCRAFT_TEST_POSTGRES"));
    }
}
