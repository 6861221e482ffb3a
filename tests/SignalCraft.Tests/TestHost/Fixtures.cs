namespace SignalCraft.Tests.TestHost;

/// <summary>
/// The shared sample payloads (<c>shared/fixtures/</c>, beside the repository): exact body bytes plus their headers.
/// </summary>
public static class Fixtures
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SignalCraft.slnx")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("SignalCraft.slnx not found above the test binaries.");
        }
    }

    public static string Folder(string source) => Path.Combine(Root.Value, source);

    /// <summary>A fixture request: <paramref name="name"/> without extension, e.g. <c>event_alert.error.production</c>.</summary>
    public static FixtureRequest Load(string source, string name)
    {
        var body = File.ReadAllBytes(Path.Combine(Folder(source), name + ".json"));
        var headersPath = Path.Combine(Folder(source), name + ".headers");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(headersPath))
        {
            foreach (var line in File.ReadAllLines(headersPath))
            {
                var colon = line.IndexOf(':');
                if (colon > 0)
                {
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }
        }
        return new FixtureRequest(name, headers, body);
    }

    public static IEnumerable<string> Names(string source) =>
        Directory.EnumerateFiles(Folder(source), "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order();

    private static string FindRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("SIGNALCRAFT_FIXTURES");
        var candidate = fromEnv ?? Path.Combine(RepositoryRoot, "..", "shared", "fixtures");
        return Directory.Exists(candidate)
            ? Path.GetFullPath(candidate)
            : throw new InvalidOperationException(
                $"Fixtures not found at {candidate}: the shared folder must sit beside the repository (or set SIGNALCRAFT_FIXTURES).");
    }
}

public sealed record FixtureRequest(string Name, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
