using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;

namespace SignalCraft.E2ETests.TestHost;

/// <summary>
/// SignalCraft on real Kestrel (a random loopback port) against a <see cref="TestDatabase"/>, for a browser. The clock
/// is the real one: the browser keeps cookies by wall-clock expiry, and Sentry signatures carry a fresh timestamp.
/// </summary>
public sealed class WebApp : WebApplicationFactory<Program>
{
    /// <summary>A fixed test master key (base64 of 32 bytes), the same on every instance of one test.</summary>
    public const string TestMasterKey = "hpOX1CNhVlkVrntb1xz3Fcsw94yGIQJHt89UxqWwMZw=";

    private readonly Dictionary<string, string?> _settings;

    public WebApp(TestDatabase database, IDictionary<string, string?>? settings = null)
    {
        Database = database;
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            [database.Provider == DatabaseProvider.Postgres ? "ConnectionStrings:Postgres" : "ConnectionStrings:Sqlite"] =
                database.ConnectionString,
            ["Secrets:MasterKey"] = TestMasterKey,
            ["Sources:AcceptTimeout"] = "00:00:03",
            ["Web:InboxPollSeconds"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        UseKestrel(0);
    }

    public TestDatabase Database { get; }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234</c> (after <see cref="Start"/>).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Starts the server (migrating the database) and returns its address.</summary>
    public Uri Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return BaseAddress;
    }

    /// <summary>An absolute URL of a page of this app.</summary>
    public string Url(string path) => new Uri(BaseAddress, path).ToString();
}
