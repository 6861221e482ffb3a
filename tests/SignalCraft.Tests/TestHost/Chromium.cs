namespace SignalCraft.Tests.TestHost;

/// <summary>
/// Debian's Chromium for Playwright: $SIGNALCRAFT_CHROMIUM, else "chromium" on the PATH (browser downloads do not work
/// here). Missing, it fails the test under CI=true or SIGNALCRAFT_TEST_REQUIRE_ALL=1 and skips it elsewhere.
/// </summary>
public static class Chromium
{
    public static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    public static string RequirePath()
    {
        var configured = Environment.GetEnvironmentVariable("SIGNALCRAFT_CHROMIUM");
        var path = !string.IsNullOrWhiteSpace(configured)
            ? configured
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, "chromium")).FirstOrDefault(File.Exists);
        if (path is not null && File.Exists(path))
        {
            return path;
        }
        var reason = "Chromium not found: set SIGNALCRAFT_CHROMIUM or install Debian's chromium package.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            || Environment.GetEnvironmentVariable("SIGNALCRAFT_TEST_REQUIRE_ALL") == "1")
        {
            Assert.Fail(reason);
        }
        Assert.Skip(reason);
        return "";
    }
}
