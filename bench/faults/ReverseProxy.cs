using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace SignalCraft.Bench.Faults;

/// <summary>
/// A loopback reverse proxy (YARP, in this process) in front of several SignalCraft instances, round robin. Active
/// health checks on <c>/readyz</c> every second and passive ones on failed requests take a dead instance out of rotation,
/// as a load balancer in front of a deployment would.
/// </summary>
public sealed class ReverseProxy : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ReverseProxy(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<ReverseProxy> StartAsync(IReadOnlyList<Uri> destinations)
    {
        var port = Storm.ChildProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var cluster = new ClusterConfig
        {
            ClusterId = "signalcraft",
            LoadBalancingPolicy = "RoundRobin",
            Destinations = destinations.Select((d, i) => (d, i)).ToDictionary(x => $"instance-{x.i}", x => new DestinationConfig { Address = x.d.ToString() }),
            HealthCheck = new HealthCheckConfig
            {
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true, Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1), Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                    Path = "/readyz",
                },
                Passive = new PassiveHealthCheckConfig
                {
                    Enabled = true, Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate, ReactivationPeriod = TimeSpan.FromSeconds(30),
                },
            },
            HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(15) },
        };
        var route = new RouteConfig { RouteId = "all", ClusterId = "signalcraft", Match = new RouteMatch { Path = "{**rest}" } };
        builder.Services.AddReverseProxy().LoadFromMemory([route], [cluster]);
        var app = builder.Build();
        app.MapReverseProxy(proxy => proxy.UsePassiveHealthChecks());
        await app.StartAsync();
        return new ReverseProxy(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
