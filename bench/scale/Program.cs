using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using SignalCraft.Bench.Scale;
using SignalCraft.Bench.Storm;

// The inbox and overview at scale (issue: "a million events, on SQLite and PostgreSQL").
//   dotnet run -c Release --project bench/scale -- [--smoke] [--db sqlite|postgres|both] [--events N] [--groups N] [--samples N]
// PostgreSQL comes from --pg "<connection string>" or SIGNALCRAFT_TEST_POSTGRES (a server the bench may create databases on).
var options = ScaleOptions.Parse(args);
var root = FindRoot();
var appDll = Path.Combine(root, "src", "SignalCraft", "bin", "Release", "net10.0", "SignalCraft.dll");
if (!File.Exists(appDll))
{
    Console.Error.WriteLine($"missing {appDll}: build the solution in Release first (dotnet build SignalCraft.slnx -c Release)");
    return 1;
}
var bodies = new SentryBodies(Path.Combine(root, "..", "shared", "fixtures", "sentry") is var shared && Directory.Exists(shared)
    ? shared : Path.Combine(root, "tests", "fixtures", "sentry"));
Console.WriteLine($"scale benchmark{(options.Smoke ? " (smoke)" : "")}: {options.Events:N0} events in {options.Groups:N0} groups across 3 workspaces, "
    + $"{options.Samples} samples per query, {Environment.ProcessorCount} CPUs");
var rows = new List<string>();
var failed = false;
foreach (var provider in options.Databases)
{
    if (provider == "Postgres" && options.Postgres is null)
    {
        Console.WriteLine("PostgreSQL: skipped (no --pg and no SIGNALCRAFT_TEST_POSTGRES)");
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            failed = true;
        }
        continue;
    }
    await using var db = provider == "Postgres" ? await BenchDatabase.PostgresAsync(options.Postgres!) : BenchDatabase.Sqlite();
    var free = new DriveInfo(Path.GetPathRoot(db.Folder ?? Path.GetTempPath())!).AvailableFreeSpace;
    var need = (long)options.Events * 1500L;
    if (free < need)
    {
        Console.WriteLine($"{provider}: skipped, {free / 1_000_000_000.0:F1} GB free and about {need / 1_000_000_000.0:F1} GB needed");
        failed = true;
        continue;
    }
    await using var app = new ScaleApp(appDll, db, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    await app.StartAsync();
    var workspaces = new List<BulkLoader.Workspace>();
    var owners = new List<(HttpClient Api, Uri Webhook)>();
    for (var w = 0; w < 3; w++)
    {
        var api = await app.SignInAsync($"owner{w}@example.com", $"Scale {w}");
        var (integrationId, webhook) = await ScaleApp.CreateSentryAsync(api);
        workspaces.Add(new BulkLoader.Workspace(await ScaleApp.WorkspaceIdAsync(api), integrationId));
        owners.Add((api, webhook));
    }
    // Ingest on the empty database first: the baseline for "does a full table slow the accept path?".
    var empty = await IngestAsync(owners[0].Webhook, bodies, options.IngestRequests, seed: 1);
    // The template group and event the bulk copy clones (the first group of workspace 0).
    await app.StopAsync();

    var load = System.Diagnostics.Stopwatch.StartNew();
    await new BulkLoader(db).LoadAsync(workspaces, options.Groups, options.Events / options.Groups, DateTime.UtcNow);
    Console.WriteLine($"{provider}: loaded in {load.Elapsed.TotalSeconds:F0} s");

    await app.StartAsync();
    using var owner = await app.SignInAsync("owner0@example.com");
    var timer = new QueryTimer(owner, options.Samples);
    var detailIds = await SampleGroupIdsAsync(owner);
    var timings = new List<QueryTimer.Timing>
    {
        await timer.TimeAsync("inbox, no filter", _ => "api/alerts"),
        await timer.TimeAsync("inbox, env + minSeverity", _ => "api/alerts?env=production&minSeverity=high"),
        await timer.TimeAsync("inbox, tag", _ => "api/alerts?tag=level:error"),
        await timer.TimeAsync("inbox, text", i => $"api/alerts?q=Bench%20error%20{(i * 37) % 5000}%20"),
        await timer.TimeDeepPagingAsync(20),
        await timer.TimeAsync("group detail", i => $"api/alert-groups/{detailIds[i % detailIds.Count]}"),
        await timer.TimeAsync("overview, 24 h", _ => "api/dashboard/overview?range=24h"),
        await timer.TimeAsync("overview, 7 days", _ => "api/dashboard/overview?range=7d"),
        await timer.TimeAsync("outcome metrics, 24 h", _ => "api/metrics/outcomes?range=24h"),
        await timer.TimeAsync("outcome metrics, 7 days", _ => "api/metrics/outcomes?range=7d"),
    };
    // The restarted process listens on a new port: the webhook path stays, the address changes.
    var full = await IngestAsync(new Uri(app.Url, owners[0].Webhook.PathAndQuery), bodies, options.IngestRequests, seed: 2);
    foreach (var t in timings)
    {
        var goal = t.What.StartsWith("inbox", StringComparison.Ordinal) ? 50 : t.What.StartsWith("overview", StringComparison.Ordinal) ? 200 : (double?)null;
        var verdict = goal is { } g ? (t.P95Ms <= g ? $"≤ {g} ms: met" : $"≤ {g} ms: missed") : "";
        rows.Add($"| {provider} | {t.What} | {t.P50Ms:F1} | {t.P95Ms:F1} | {verdict} |");
    }
    rows.Add($"| {provider} | ingest c=8, empty database | {empty.P50:F1} | {Stats.Percentile(empty.LatenciesMs, 0.95):F1} | {empty.PerSecond:F0}/s |");
    rows.Add($"| {provider} | ingest c=8, at {options.Events:N0} events | {full.P50:F1} | {Stats.Percentile(full.LatenciesMs, 0.95):F1} | "
        + $"{full.PerSecond:F0}/s ({full.PerSecond / empty.PerSecond:F2}× empty) |");
    if (empty.Errors + full.Errors > 0)
    {
        Console.WriteLine($"{provider}: ingest errors: {string.Join(", ", empty.ErrorKinds.Concat(full.ErrorKinds).Select(k => $"{k.Key}×{k.Value}"))}");
        failed = true;
    }
    foreach (var api in owners)
    {
        api.Api.Dispose();
    }
}
Console.WriteLine();
Console.WriteLine("| database | what | p50 ms | p95 ms | goal / figure |");
Console.WriteLine("|---|---|---:|---:|---|");
rows.ForEach(Console.WriteLine);
return failed ? 1 : 0;

static async Task<LoadResult> IngestAsync(Uri webhook, SentryBodies bodies, int requests, int seed) =>
    await LoadRunner.RunAsync(8, TimeSpan.FromSeconds(60), requests,
        n => SentryBodies.ToRequest(webhook, bodies.Build(n, (int)(seed * 100_000 + n % 200), $"ingest-{n % 5}")));

static async Task<List<long>> SampleGroupIdsAsync(HttpClient api)
{
    var page = await SignalCraftInstance.Expect(await api.GetAsync("api/alerts?limit=200"), "sample ids");
    return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "SignalCraft.slnx")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("SignalCraft.slnx not found above the benchmark.");
}

internal sealed record ScaleOptions(bool Smoke, IReadOnlyList<string> Databases, int Events, int Groups, int Samples, int IngestRequests, string? Postgres)
{
    public static ScaleOptions Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var smoke = args.Contains("--smoke");
        var db = Value("--db") ?? (smoke ? "sqlite" : "both");
        var databases = db switch
        {
            "sqlite" => new[] { "Sqlite" },
            "postgres" => ["Postgres"],
            _ => ["Sqlite", "Postgres"],
        };
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new ScaleOptions(smoke, databases, Int("--events", smoke ? 20_000 : 1_000_000), Int("--groups", smoke ? 2_000 : 100_000),
            Int("--samples", smoke ? 10 : 50), Int("--ingest", smoke ? 200 : 2_000),
            Value("--pg") ?? Environment.GetEnvironmentVariable("SIGNALCRAFT_TEST_POSTGRES"));
    }
}
