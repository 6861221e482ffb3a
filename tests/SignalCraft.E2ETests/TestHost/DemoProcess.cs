using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace SignalCraft.E2ETests.TestHost;

/// <summary>
/// <c>scripts/demo</c> as a newcomer runs it (one command), on free ports and a temporary folder, without its build step
/// (the test command has built the solution in Release). Disposing kills the script and every process it started.
/// </summary>
public sealed class DemoProcess : IAsyncDisposable
{
    public const string Email = "alice@example.com";
    public const string Password = "signalcraft-demo";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private DemoProcess(Process process, Uri app, Uri slack, string folder)
    {
        _process = process;
        AppAddress = app;
        SlackAddress = slack;
        Folder = folder;
    }

    public Uri AppAddress { get; }
    public Uri SlackAddress { get; }
    public string Folder { get; }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public string App(string path) => new Uri(AppAddress, path).ToString();

    public string Slack(string path) => new Uri(SlackAddress, path).ToString();

    public static async Task<DemoProcess> StartAsync(TimeSpan interval)
    {
        var root = TestEnvironment.RepositoryRoot;
        foreach (var built in new[] { "src/SignalCraft/bin/Release/net10.0/SignalCraft.dll", "tools/SlackEmulator/bin/Release/net10.0/SlackEmulator.dll" })
        {
            Assert.True(File.Exists(Path.Combine(root, built)), $"{built} is missing: build the solution in Release first (scripts/test does).");
        }
        var app = new Uri($"http://127.0.0.1:{FreePort()}");
        var slack = new Uri($"http://127.0.0.1:{FreePort()}");
        var folder = Directory.CreateTempSubdirectory("signalcraft-demo-").FullName;
        var info = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "demo")])
        {
            WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["DEMO_SKIP_BUILD"] = "1";
        info.Environment["DEMO_APP_URL"] = app.ToString().TrimEnd('/');
        info.Environment["DEMO_SLACK_URL"] = slack.ToString().TrimEnd('/');
        info.Environment["DEMO_DIR"] = folder;
        info.Environment["DEMO_INTERVAL"] = interval.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var demo = new DemoProcess(Process.Start(info)!, app, slack, folder);
        demo._process.OutputDataReceived += (_, e) => demo.Append(e.Data);
        demo._process.ErrorDataReceived += (_, e) => demo.Append(e.Data);
        demo._process.BeginOutputReadLine();
        demo._process.BeginErrorReadLine();

        // Start-up on a busy machine can take a minute or more (two .NET processes, migrations, OAuth, a rule).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(240);
        while (!demo.Output.Contains("Ctrl-C stops everything", StringComparison.Ordinal))
        {
            if (demo._process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = demo.Output;
                await demo.DisposeAsync();
                Assert.Fail($"scripts/demo did not get to sending webhooks ({(demo._process.HasExited ? "it exited" : "timed out")}):\n{output}");
            }
            await Task.Delay(250);
        }
        return demo;
    }

    /// <summary>Top-level messages of a channel of the demo team, read from the emulator's control API.</summary>
    public async Task<List<JsonElement>> MessagesAsync(string channel)
    {
        using var http = new HttpClient { BaseAddress = SlackAddress };
        var all = await http.GetFromJsonAsync<JsonElement>($"/_emulator/messages?team={EmulatedSlack.TeamId}&channel={channel}");
        return all.EnumerateArray().Where(m => m.GetProperty("threadTs").ValueKind == JsonValueKind.Null).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // The script, the two servers and the sender: what Ctrl-C stops for a person.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner rather than failing the test.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
