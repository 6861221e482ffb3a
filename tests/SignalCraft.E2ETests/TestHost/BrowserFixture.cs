namespace SignalCraft.E2ETests.TestHost;

/// <summary>
/// One headless Chromium for the whole assembly (each test opens its own context: own cookies, own viewport).
/// Chromium is Debian's: <c>SIGNALCRAFT_CHROMIUM</c>, else <c>chromium</c> on the PATH; Playwright downloads nothing.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] LaunchArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Why there is no browser (null when there is one).</summary>
    public string? Missing { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var path = FindChromium();
        if (path is null)
        {
            Missing = "Chromium was not found: set SIGNALCRAFT_CHROMIUM or install Debian's chromium (scripts/test installs it).";
            return;
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path, Headless = true, Args = LaunchArgs, Timeout = 60_000,
        });
    }

    /// <summary>A fresh browser context (fails under CI, skips locally, when Chromium is missing).</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        if (_browser is null)
        {
            TestEnvironment.Missing(Missing ?? "No browser.");
        }
        var context = await _browser!.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(20_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    private static string? FindChromium()
    {
        if (Environment.GetEnvironmentVariable("SIGNALCRAFT_CHROMIUM") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in new[] { "chromium", "chromium-browser" })
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}
