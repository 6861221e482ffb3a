using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SignalCraft.E2ETests.TestHost;

/// <summary>
/// The Slack emulator (tools/SlackEmulator) on real Kestrel at a random loopback port, seeded with its demo team
/// (<c>T0DEMO</c>: #alerts <c>C0ALERTS</c>, #oncall <c>C0ONCALL</c>; users alice and bob). SignalCraft talks to it over HTTP
/// as to Slack (<see cref="AppSettings"/>); a browser opens its authorize and channel pages; tests read what was
/// posted through its control API. Rate limits are off so journeys do not wait on Slack's budgets.
/// </summary>
public sealed partial class EmulatedSlack : IAsyncDisposable
{
    public const string TeamId = "T0DEMO";
    public const string TeamName = "SignalCraft Demo";
    public const string Alerts = "C0ALERTS";
    public const string Oncall = "C0ONCALL";

    private readonly Factory _factory = new();

    private EmulatedSlack()
    {
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        BaseAddress = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public static async Task<EmulatedSlack> StartAsync()
    {
        var slack = new EmulatedSlack();
        (await slack.Http.PutAsJsonAsync("/_emulator/rate-limits", new { enabled = false })).EnsureSuccessStatusCode();
        return slack;
    }

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

    /// <summary>The emulator's page of a channel (what a person sees in Slack).</summary>
    public string ChannelPage(string channel = Alerts) => new Uri(BaseAddress, $"/_emulator/channels/{TeamId}/{channel}").ToString();

    /// <summary>Top-level messages of a channel, oldest first (<c>text</c>, <c>ts</c>, <c>blocks</c> …).</summary>
    public async Task<List<JsonElement>> MessagesAsync(string channel = Alerts)
    {
        var all = await Http.GetFromJsonAsync<JsonElement>($"/_emulator/messages?team={TeamId}&channel={channel}");
        return all.EnumerateArray().Where(m => m.GetProperty("threadTs").ValueKind == JsonValueKind.Null).ToList();
    }

    /// <summary>
    /// Connects Slack for the admin's workspace the way a browser would, without one (set-up for journeys that test
    /// something else): ask SignalCraft for the authorize URL, press Allow on the emulator's page, follow the redirect.
    /// </summary>
    public async Task ConnectAsync(Api admin)
    {
        var started = await admin.Client.PostAsync("/api/integrations/slack/connect", null);
        await Api.ExpectAsync(started, HttpStatusCode.OK);
        var authorizeUrl = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizeUrl").GetString()!;
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(authorizeUrl);
        var form = HiddenInput().Matches(page).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        form["installer"] = WebUtility.HtmlDecode(FirstOption().Match(page).Groups[1].Value);
        form["decision"] = "allow";
        var answer = await browser.PostAsync(new Uri(new Uri(authorizeUrl), "/oauth/v2/authorize"), new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var callback = await browser.GetAsync(answer.Headers.Location!);
        Assert.True(callback.StatusCode == HttpStatusCode.Redirect, $"Slack callback answered {(int)callback.StatusCode}: {await callback.Content.ReadAsStringAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<option value=\"([^\"]+)\"")]
    private static partial Regex FirstOption();

    private sealed class Factory : WebApplicationFactory<SlackEmulator.Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                // The tests listen on a random port instead of the emulator's default address, on purpose; Kestrel
                // warns about that on every start, which buried the test log's end.
                ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = "Error",
                ["Emulator:Seed:Enabled"] = "true",
                ["Emulator:MaxHangSeconds"] = "5",
                ["Logging:LogLevel:Default"] = "Warning",
            }));
    }
}
