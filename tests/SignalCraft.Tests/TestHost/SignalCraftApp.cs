using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using SignalCraft.Data;

namespace SignalCraft.Tests.TestHost;

/// <summary>
/// SignalCraft on real Kestrel (a random loopback port) against a <see cref="TestDatabase"/>, with a
/// <see cref="FakeTimeProvider"/> as its clock. Settings may override any configuration key.
/// </summary>
public sealed class SignalCraftApp : WebApplicationFactory<Program>
{
    /// <summary>A fixed test master key (base64 of 32 bytes); tests that need another pass their own.</summary>
    public const string TestMasterKey = "hpOX1CNhVlkVrntb1xz3Fcsw94yGIQJHt89UxqWwMZw=";

    private readonly Dictionary<string, string?> _settings;
    private readonly string? _contentRoot;

    public SignalCraftApp(TestDatabase database, IDictionary<string, string?>? settings = null, string? contentRoot = null,
        bool useFakeClock = true)
    {
        Database = database;
        _contentRoot = contentRoot;
        UseFakeClock = useFakeClock;
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            [database.Provider == DatabaseProvider.Postgres ? "ConnectionStrings:Postgres" : "ConnectionStrings:Sqlite"] =
                database.ConnectionString,
            ["Secrets:MasterKey"] = TestMasterKey,
            // Correctness tests must not fail on a busy machine opening fresh connection pools; the 503 test sets the
            // production value itself.
            ["Sources:AcceptTimeout"] = "00:00:03",
            // Tests jump the fake clock by minutes or days; a job running across such a jump is not dead, so rescue
            // (which compares attempted_at with the fake now) waits longer than any test moves the clock.
            ["Jobs:RescueAfter"] = "7.00:00:00",
            // Queue tests count jobs; the retention test arms its run itself.
            ["Timers:ArmRetentionOnStart"] = "false",
            // Test output shows what went wrong, not every request.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            // EF logs the expected "no history table yet" query of a fresh database as an error.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        UseKestrel(0);
    }

    public TestDatabase Database { get; }

    /// <summary>Adds settings before <see cref="Start"/> (e.g. addresses of a server started with this app's clock).</summary>
    public void Configure(IDictionary<string, string?> settings)
    {
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    /// <summary>The app's clock. Starts at a fixed instant so that time-dependent output is reproducible.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    private bool UseFakeClock { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        if (_contentRoot is not null)
        {
            builder.UseContentRoot(_contentRoot);
        }
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            if (UseFakeClock)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Clock);
            }
        });
    }

    /// <summary>Starts the server (migrating the database) and returns a client bound to its real address.</summary>
    public HttpClient Start()
    {
        StartServer();
        return CreateClient();
    }

    /// <summary>Runs <paramref name="work"/> with a scoped service provider of the running app.</summary>
    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }
}
