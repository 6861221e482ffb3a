using System.Diagnostics;
using System.Text;

namespace SignalCraft.Bench.Storm;

// One command, one run: ingest against SignalCraft, Alertmanager and bare Kestrel, then the alert storm with the
// Slack emulator; prints markdown tables and the goals. Everything listens on 127.0.0.1; every loop is bounded in
// count and time. Exit code 1 when an answer was lost or wrong (errors, alerts missing from the database).
//   dotnet bench/storm/bin/Release/net10.0/SignalCraft.Bench.Storm.dll [--smoke] [--db postgres] …   (see BenchOptions)
internal static class StormBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--serve-baseline", var port])
        {
            return await BaselineServer.RunAsync(int.Parse(port));
        }
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        var goals = new List<string>();
        var tables = new StringBuilder();
        var paths = BenchPaths.Find();
        var bodies = new SentryBodies(paths.SentryFixtures);
        Console.WriteLine($"storm benchmark ({(options.Smoke ? "smoke" : "full")}, SignalCraft on {options.Db}): " +
            $"{Environment.ProcessorCount} CPUs, Sentry bodies of {string.Join("/", bodies.Sizes)} bytes");

        if (options.Db == "postgres" && string.IsNullOrEmpty(options.Postgres))
        {
            Console.Error.WriteLine("FAILED --db postgres needs --postgres or SIGNALCRAFT_TEST_POSTGRES (an admin connection string).");
            return 1;
        }

        try
        {
            if (options.Ingest)
            {
                tables.AppendLine(await IngestAsync(options, paths, bodies, failures, goals));
            }
            if (options.Storm)
            {
                tables.AppendLine(await StormAsync(options, paths, bodies, failures, goals));
            }
        }
        catch (Exception ex)
        {
            failures.Add(ex.ToString());
        }

        Console.WriteLine();
        Console.WriteLine($"## SignalCraft storm benchmark ({(options.Smoke ? "smoke" : "full")}, {options.Db}, {Environment.ProcessorCount} CPUs, " +
            $"{DateTime.UtcNow:yyyy-MM-dd})");
        Console.WriteLine();
        Console.WriteLine(tables.ToString());
        Console.WriteLine("### Goals");
        Console.WriteLine();
        Console.WriteLine(Report.Goals(goals));
        Console.WriteLine($"took {clock.Elapsed.TotalSeconds:F0} s");
        foreach (var failure in failures)
        {
            Console.Error.WriteLine("FAILED " + failure);
        }
        return failures.Count == 0 ? 0 : 1;
    }

    private static async Task<string> IngestAsync(BenchOptions options, BenchPaths paths, SentryBodies bodies, List<string> failures,
        List<string> goals)
    {
        // The three servers start side by side (they are idle until measured).
        var binary = Alertmanager.FindBinary();
        if (binary is null)
        {
            var message = "Alertmanager is not installed (apt-get install prometheus-alertmanager): its ratios are left out";
            Console.WriteLine(message);
            if (BenchOptions.RequireAll)
            {
                failures.Add(message);
            }
        }
        var kestrelPort = ChildProcess.FreePort();
        await using var database = await OpenDatabaseAsync(options);
        var startingAlertmanager = binary is null ? Task.FromResult<Alertmanager?>(null) : StartAlertmanagerAsync(binary);
        var startingKestrel = BaselineServer.StartAsync(kestrelPort);
        var startingApp = SignalCraftInstance.StartAsync(paths.AppDll, database, options.AppSettings);
        await Task.WhenAll(startingAlertmanager, startingKestrel, startingApp).ContinueWith(_ => { });
        if (!startingAlertmanager.IsCompletedSuccessfully || !startingKestrel.IsCompletedSuccessfully || !startingApp.IsCompletedSuccessfully)
        {
            // Stop whatever did start, then report what did not.
            await DisposeStartedAsync(startingAlertmanager, startingKestrel, startingApp);
            await Task.WhenAll(startingAlertmanager, startingKestrel, startingApp);
        }
        var alertmanager = startingAlertmanager.Result;
        try
        {
            await using var kestrel = await startingKestrel;
            await using var app = await startingApp;
            var (_, webhookUrl) = await app.CreateSentryIntegrationAsync("Sentry ingest");
            var runs = await new IngestBenchmark(options, bodies).RunAsync(app, webhookUrl, alertmanager, kestrel,
                new Uri($"http://127.0.0.1:{kestrelPort}/webhooks/sentry/baseline"), failures);
            if (app.Process.HasExited)
            {
                failures.Add("SignalCraft exited during the ingest runs:\n" + app.Process.Tail());
            }
            return Report.Ingest(runs, options.Repetitions, options.IngestDuration, goals);
        }
        finally
        {
            if (alertmanager is not null)
            {
                await alertmanager.DisposeAsync();
            }
        }
    }

    private static async Task DisposeStartedAsync(params Task[] starting)
    {
        foreach (var task in starting.Where(t => t.IsCompletedSuccessfully))
        {
            if (task is Task<Alertmanager?> { Result: { } am })
            {
                await am.DisposeAsync();
            }
            else if (task is Task<ChildProcess> child)
            {
                await child.Result.DisposeAsync();
            }
            else if (task is Task<SignalCraftInstance> app)
            {
                await app.Result.DisposeAsync();
            }
        }
    }

    private static async Task<Alertmanager?> StartAlertmanagerAsync(string binary) => await Alertmanager.StartAsync(binary);

    private static async Task<string> StormAsync(BenchOptions options, BenchPaths paths, SentryBodies bodies, List<string> failures,
        List<string> goals)
    {
        // A fresh SignalCraft on a fresh database, so the storm's figures are its own.
        await using var database = await OpenDatabaseAsync(options);
        var channels = StormRun.Channels(options).Append(StormRun.ProbeChannelName).ToList();
        if (options.Targets == "webhook")
        {
            await using var sink = await WebhookSink.StartAsync();
            await using var app = await SignalCraftInstance.StartAsync(paths.AppDll, database, options.AppSettings);
            return await new StormRun(options, bodies).RunAsync(app, database, sink, failures, goals);
        }
        // The emulator's address is known before it answers, so SignalCraft starts alongside it.
        await using var slack = SlackEmulatorObserver.Start(paths.EmulatorDll);
        var settings = new Dictionary<string, string>(slack.AppSettings);
        foreach (var (key, value) in options.AppSettings)
        {
            settings[key] = value;
        }
        var startingApp = SignalCraftInstance.StartAsync(paths.AppDll, database, settings);
        var ready = slack.WaitReadyAsync();
        await Task.WhenAll(ready, startingApp).ContinueWith(_ => { });
        if (!ready.IsCompletedSuccessfully || !startingApp.IsCompletedSuccessfully)
        {
            await DisposeStartedAsync(startingApp);
            await Task.WhenAll(ready, startingApp);
        }
        await using (var app = await startingApp)
        {
            await slack.CreateChannelsAsync(channels);
            await slack.ConnectAsync(app);
            var table = await new StormRun(options, bodies).RunAsync(app, database, slack, failures, goals);
            return table + $"| chat.postMessage calls answered 429 (channel limit) | {await slack.RateLimitedPostsAsync()} |\n";
        }
    }

    public static async Task<BenchDatabase> OpenDatabaseAsync(BenchOptions options) =>
        options.Db == "postgres" ? await BenchDatabase.PostgresAsync(options.Postgres!) : BenchDatabase.Sqlite();
}
