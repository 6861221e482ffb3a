namespace SignalCraft.Bench.Storm;

/// <summary>The built binaries and fixtures this run uses, found from the repository root above this program.</summary>
public sealed record BenchPaths(string Root, string AppDll, string EmulatorDll, string SentryFixtures)
{
    public static BenchPaths Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SignalCraft.slnx")))
        {
            dir = dir.Parent;
        }
        var root = dir?.FullName ?? throw new InvalidOperationException("SignalCraft.slnx not found above the benchmark binaries.");
        var fixtures = Environment.GetEnvironmentVariable("SIGNALCRAFT_FIXTURES") ?? Path.Combine(root, "..", "shared", "fixtures");
        var paths = new BenchPaths(root,
            Path.Combine(root, "src", "SignalCraft", "bin", "Release", "net10.0", "SignalCraft.dll"),
            Path.Combine(root, "tools", "SlackEmulator", "bin", "Release", "net10.0", "SlackEmulator.dll"),
            Path.GetFullPath(Path.Combine(fixtures, "sentry")));
        foreach (var file in new[] { paths.AppDll, paths.EmulatorDll })
        {
            if (!File.Exists(file))
            {
                throw new InvalidOperationException($"{file} is missing: build the solution in Release first (dotnet build SignalCraft.slnx -c Release).");
            }
        }
        if (!Directory.Exists(paths.SentryFixtures))
        {
            throw new InvalidOperationException($"Sentry fixtures not found at {paths.SentryFixtures} (set SIGNALCRAFT_FIXTURES).");
        }
        return paths;
    }
}
