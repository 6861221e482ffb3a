using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace SignalCraft.Tests.TestHost;

/// <summary>
/// The built SignalCraft as a real OS child process (<c>dotnet SignalCraft.dll</c>, of the configuration these
/// tests were built in), for tests that need separate processes: several instances on one database, a SIGKILL.
/// Output is kept for failure messages; the process tree is killed on dispose.
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private AppProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>A label for messages ("worker-a").</summary>
    public string Name { get; }

    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far (stdout and stderr, interleaved by line).</summary>
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

    /// <summary>The folder that holds SignalCraft.slnx, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SignalCraft.slnx")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException($"No SignalCraft.slnx above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Release or Debug: the configuration segment of this test assembly's own output path.</summary>
    public static string Configuration
    {
        get
        {
            var segments = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var bin = Array.LastIndexOf(segments, "bin");
            return bin >= 0 && bin + 1 < segments.Length ? segments[bin + 1] : "Release";
        }
    }

    /// <summary>src/SignalCraft/bin/&lt;Configuration&gt;/net10.0/SignalCraft.dll.</summary>
    public static string AppDll => Path.Combine(RepositoryRoot, "src", "SignalCraft", "bin", Configuration, "net10.0", "SignalCraft.dll");

    /// <summary>
    /// Starts SignalCraft on a random loopback port against <paramref name="database"/>, with
    /// <paramref name="settings"/> as environment variables (<c>Jobs__Workers</c> = "2", …).
    /// </summary>
    public static AppProcess Start(string name, TestDatabase database, IDictionary<string, string?>? settings = null)
    {
        var dll = AppDll;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} does not exist: build the solution ({Configuration}) before running process tests.");
        }
        var info = new ProcessStartInfo(DotnetHost(), [dll, "--urls", "http://127.0.0.1:0"])
        {
            // appsettings.json sits beside the DLL; nothing is written there with PostgreSQL.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Database__Provider"] = database.Provider.ToString();
        info.Environment[database.Provider == Data.DatabaseProvider.Postgres ? "ConnectionStrings__Postgres" : "ConnectionStrings__Sqlite"] =
            database.ConnectionString;
        info.Environment["Secrets__MasterKey"] = SignalCraftApp.TestMasterKey;
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        info.Environment["Logging__LogLevel__SignalCraft"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            info.Environment[key.Replace(":", "__")] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var app = new AppProcess(process, name);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Waits (bounded) until the output contains <paramref name="text"/>; fails with the output otherwise.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                Assert.Fail($"{Name} exited with code {_process.ExitCode} before writing '{text}'.\n{Output}");
            }
            if (deadline.Elapsed > timeout)
            {
                Assert.Fail($"{Name} did not write '{text}' within {timeout}.\n{Output}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the server listens and returns its address.</summary>
    public async Task<Uri> WaitForListeningAsync(TimeSpan timeout)
    {
        await WaitForOutputAsync("Now listening on: ", timeout);
        return new Uri(ListeningRegex().Match(Output).Groups[1].Value);
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crashed machine or an OOM kill.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
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

    // The same dotnet that runs the tests (the CLI sets DOTNET_HOST_PATH), else the one on the PATH.
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    [GeneratedRegex(@"Now listening on: (\S+)")]
    private static partial Regex ListeningRegex();
}

/// <summary>
/// Tests that run SignalCraft as OS processes join this collection: it runs after the parallel tests, alone, so
/// that several busy child processes do not skew the timing assertions of other tests (e.g. /readyz within 1 s).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppProcessCollection
{
    public const string Name = "OS processes";
}
