using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SignalCraft.E2ETests.TestHost;

/// <summary>
/// The Slack emulator (tools/SlackEmulator) on real Kestrel at a random loopback port with the seeded demo team
/// (<c>T0DEMO</c>, #alerts is <c>C0ALERTS</c>), its rate limits off and the real clock. SignalCraft reaches it over HTTP
/// as it would reach Slack; a journey injects outages and reads what was posted through its control API.
/// </summary>
public sealed class SlackEmulatorHost : IAsyncDisposable
{
    public const string TeamId = "T0DEMO";
    public const string Alerts = "C0ALERTS";

    private readonly Factory _factory = new();

    public SlackEmulatorHost()
    {
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        BaseAddress = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        // The journeys post a handful of messages on the real clock; Slack's budgets are SignalCraft.Tests' subject.
        SendAsync(HttpMethod.Put, "/_emulator/rate-limits", new { enabled = false }).GetAwaiter().GetResult();
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>SignalCraft's settings that point it at this emulator, with the seeded app's credentials.</summary>
    public Dictionary<string, string?> AppSettings() => new()
    {
        ["Slack:ApiBaseUrl"] = new Uri(BaseAddress, "/api/").ToString(),
        ["Slack:AuthorizeUrl"] = new Uri(BaseAddress, "/oauth/v2/authorize").ToString(),
        ["Slack:ClientId"] = "emulator-client-id",
        ["Slack:ClientSecret"] = "emulator-client-secret",
        ["Slack:SigningSecret"] = "emulator-signing-secret",
        ["Slack:Timeout"] = "00:00:02",
    };

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"emulator {method} {path} -> {(int)response.StatusCode}: {text}");
        return string.IsNullOrEmpty(text) ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    public Task<JsonElement> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body);

    /// <summary>Scripts a failure (<c>{method, kind, error?, count?}</c>).</summary>
    public Task<JsonElement> FailAsync(object rule) => PostAsync("/_emulator/failures", rule);

    /// <summary>Top-level messages of a channel.</summary>
    public async Task<List<JsonElement>> MessagesAsync(string channel = Alerts) =>
        (await SendAsync(HttpMethod.Get, $"/_emulator/messages?team={TeamId}&channel={channel}")).EnumerateArray()
        .Where(m => m.GetProperty("threadTs").ValueKind == JsonValueKind.Null).ToList();

    /// <summary>Web API calls received, oldest first.</summary>
    public async Task<List<JsonElement>> CallsAsync(string method) =>
        (await SendAsync(HttpMethod.Get, $"/_emulator/calls?method={method}")).EnumerateArray().ToList();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class Factory : WebApplicationFactory<SlackEmulator.Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Emulator:Seed:Enabled"] = "true",
                ["Logging:LogLevel:Default"] = "Warning",
            }));
    }
}
