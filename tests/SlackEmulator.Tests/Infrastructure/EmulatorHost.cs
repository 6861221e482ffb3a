using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace SlackEmulator.Tests.Infrastructure;

/// <summary>
/// The emulator on real Kestrel at a random 127.0.0.1 port, talked to over HTTP like any client would.
/// One host per test class (xunit class fixture); each test resets it first.
/// </summary>
public class EmulatorHost : IAsyncDisposable
{
    private readonly Factory _factory;

    public EmulatorHost() : this(seed: false)
    {
    }

    protected EmulatorHost(bool seed, TimeProvider? time = null)
    {
        _factory = new Factory(seed, time);
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.Single());
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Control = new EmulatorControl(Http);
    }

    public Uri BaseAddress { get; }

    /// <summary>A plain HttpClient against the emulator (no redirects followed automatically is not needed here).</summary>
    public HttpClient Http { get; }

    public EmulatorControl Control { get; }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private sealed class Factory(bool seed, TimeProvider? time) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Emulator:Seed:Enabled"] = seed ? "true" : "false",
                ["Emulator:MaxHangSeconds"] = "5",
                ["Logging:LogLevel:Default"] = "Warning",
                // The tests listen on a random port instead of the default address, on purpose; Kestrel warns
                // about that on every start, which buried the test log's end.
                ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = "Error",
            }));
            if (time is not null)
            {
                builder.ConfigureTestServices(services => services.AddSingleton(time));
            }
        }
    }
}

/// <summary>A host whose base clock is a <see cref="FakeTimeProvider"/> owned by the test.</summary>
public sealed class FakeClockEmulatorHost() : EmulatorHost(seed: false, Time)
{
    /// <summary>Shared by the one class using this fixture; starts at 2020-09-13T12:26:40Z (unix 1,600,000,000).</summary>
    public static readonly FakeTimeProvider Time = new(DateTimeOffset.FromUnixTimeSeconds(1_600_000_000));
}

/// <summary>A host started with the demo seed configuration (appsettings.json of the emulator).</summary>
public sealed class SeededEmulatorHost() : EmulatorHost(seed: true);
