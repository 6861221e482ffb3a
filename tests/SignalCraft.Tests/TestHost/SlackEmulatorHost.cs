using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SignalCraft.Tests.TestHost;

/// <summary>
/// The Slack emulator (tools/SlackEmulator) on real Kestrel at a random loopback port, seeded with the demo team
/// (<c>T0DEMO</c>: channels <c>C0ALERTS</c> #alerts and <c>C0ONCALL</c> #oncall, users alice and bob). SignalCraft talks
/// to it over HTTP like to Slack; tests drive and inspect it through its control API. Pass the app's clock so Slack
/// timestamps, rate buckets and code expiry follow the test's time.
/// </summary>
public sealed class SlackEmulatorHost : IAsyncDisposable
{
    public const string TeamId = "T0DEMO";
    public const string Alerts = "C0ALERTS";
    public const string Oncall = "C0ONCALL";
    public const string ClientId = "emulator-client-id";
    public const string ClientSecret = "emulator-client-secret";
    public const string SigningSecret = "emulator-signing-secret";

    private readonly Factory _factory;

    public SlackEmulatorHost(TimeProvider? time = null, bool rateLimits = false, int maxHangSeconds = 5)
    {
        _factory = new Factory(time, maxHangSeconds);
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        BaseAddress = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (!rateLimits)
        {
            PutAsync("/_emulator/rate-limits", new { enabled = false }).GetAwaiter().GetResult();
        }
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>SignalCraft's settings that point it at this emulator (plus the app credentials of the seeded app).</summary>
    public Dictionary<string, string?> AppSettings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Slack:ApiBaseUrl"] = new Uri(BaseAddress, "/api/").ToString(),
            ["Slack:AuthorizeUrl"] = new Uri(BaseAddress, "/oauth/v2/authorize").ToString(),
            ["Slack:ClientId"] = ClientId,
            ["Slack:ClientSecret"] = ClientSecret,
            ["Slack:SigningSecret"] = SigningSecret,
            ["Slack:Timeout"] = "00:00:02",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"emulator {method} {path} -> {(int)response.StatusCode}: {text}");
        return string.IsNullOrEmpty(text) ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    public Task<JsonElement> PutAsync(string path, object body) => SendAsync(HttpMethod.Put, path, body);

    public Task<JsonElement> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body);

    /// <summary>Scripts a failure (<c>{method, kind, error?, count?, retryAfter?, apply?, hangSeconds?, channel?}</c>).</summary>
    public Task<JsonElement> FailAsync(object rule) => PostAsync("/_emulator/failures", rule);

    /// <summary>Every message of a channel, thread replies included (they carry <c>threadTs</c>).</summary>
    public async Task<List<JsonElement>> AllMessagesAsync(string channel = Alerts, string team = TeamId) =>
        (await SendAsync(HttpMethod.Get, $"/_emulator/messages?team={team}&channel={channel}")).EnumerateArray().ToList();

    /// <summary>Top-level messages of a channel (a message's thread replies are listed by ts in its <c>replies</c>).</summary>
    public async Task<List<JsonElement>> MessagesAsync(string channel = Alerts, string team = TeamId) =>
        (await AllMessagesAsync(channel, team)).Where(m => m.GetProperty("threadTs").ValueKind == JsonValueKind.Null).ToList();

    /// <summary>The thread replies of the message <paramref name="ts"/>.</summary>
    public async Task<List<JsonElement>> RepliesAsync(string ts, string channel = Alerts, string team = TeamId) =>
        (await AllMessagesAsync(channel, team)).Where(m => m.GetProperty("threadTs").GetString() == ts).ToList();

    /// <summary>Web API calls received, oldest first (<c>method, channel, httpStatus, ok, outcome, injected</c>).</summary>
    public async Task<List<JsonElement>> CallsAsync(string? method = null) =>
        (await SendAsync(HttpMethod.Get, "/_emulator/calls" + (method is null ? "" : $"?method={method}"))).EnumerateArray().ToList();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class Factory(TimeProvider? time, int maxHangSeconds) : WebApplicationFactory<SlackEmulator.Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                // The tests listen on a random port instead of the emulator's default address, on purpose; Kestrel
                // warns about that on every start, which buried the test log's end.
                ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = "Error",
                ["Emulator:Seed:Enabled"] = "true",
                ["Emulator:MaxHangSeconds"] = maxHangSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Logging:LogLevel:Default"] = "Warning",
            }));
            if (time is not null)
            {
                builder.ConfigureTestServices(services => services.AddSingleton(time));
            }
        }
    }
}
