namespace SlackEmulator.Tests.Infrastructure;

/// <summary>
/// Finds Debian's Chromium: $SIGNALCRAFT_CHROMIUM, else "chromium" on the PATH. Browser downloads do
/// not work here, so a missing Chromium fails the test under CI=true and skips it elsewhere.
/// </summary>
public static class Chromium
{
    public static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    public static string RequirePath()
    {
        var configured = Environment.GetEnvironmentVariable("SIGNALCRAFT_CHROMIUM");
        var path = !string.IsNullOrWhiteSpace(configured)
            ? configured
            : (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => System.IO.Path.Combine(dir, "chromium"))
                .FirstOrDefault(File.Exists);
        if (path is not null && File.Exists(path))
        {
            return path;
        }

        var reason = "Chromium not found: set SIGNALCRAFT_CHROMIUM or install Debian's chromium package (apt-get install chromium).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
        return "";
    }
}
