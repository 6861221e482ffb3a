using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SignalCraft.E2ETests.TestHost;

/// <summary>
/// A <see cref="Scenario"/> (app, owner, Sentry integration, browser page) connected to the Slack emulator's demo team
/// (#alerts, #oncall) through the real OAuth flow. Disposing stops both servers and drops the database.
/// </summary>
public sealed class SlackScenario : IAsyncDisposable
{
    private SlackScenario(EmulatedSlack emulator, Scenario scenario)
    {
        Emulator = emulator;
        Base = scenario;
    }

    public EmulatedSlack Emulator { get; }

    /// <summary>The app, its owner and the browser page (a plain <see cref="Scenario"/> pointed at the emulator).</summary>
    public Scenario Base { get; }

    public WebApp App => Base.App;
    public Api Owner => Base.Owner;
    public IPage Page => Base.Page;

    public static async Task<SlackScenario> StartAsync(BrowserFixture browser, BrowserNewContextOptions? options = null)
    {
        var emulator = await EmulatedSlack.StartAsync();
        Scenario scenario;
        try
        {
            scenario = await Scenario.StartAsync(browser, options, settings: emulator.AppSettings());
        }
        catch
        {
            await emulator.DisposeAsync(); // e.g. no Chromium: the test skips or fails, and nothing is left running
            throw;
        }
        var s = new SlackScenario(emulator, scenario);
        try
        {
            await emulator.ConnectAsync(scenario.Owner);
            // Clicks on the emulator's channel page go to this app, as Slack's Request URL would.
            (await emulator.Http.PutAsJsonAsync("/_emulator/apps/A0EMULATOR", new { requestUrl = scenario.App.Url("/webhooks/slack/actions") }))
                .EnsureSuccessStatusCode();
            return s;
        }
        catch
        {
            await s.DisposeAsync();
            throw;
        }
    }

    public Task<long> SendAsync(string fixture, string? issueId = null, string? title = null) => Base.SendAsync(fixture, issueId, title);

    public Task SignInAsync(string? then = null) => Base.SignInAsync(then);

    /// <summary>Creates a rule through the API (setup a journey does not test); returns its id.</summary>
    public async Task<long> CreateRuleAsync(object rule)
    {
        var response = await Owner.Client.PostAsJsonAsync("/api/routing-rules", rule);
        await Api.ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>Waits (bounded) until a top-level message in <paramref name="channel"/> contains <paramref name="text"/>.</summary>
    public Task<JsonElement> MessageAsync(string channel, string text) => WaitForMessageAsync(Emulator, channel, text);

    public static async Task<JsonElement> WaitForMessageAsync(EmulatedSlack slack, string channel, string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        List<JsonElement> seen = [];
        while (DateTime.UtcNow < deadline)
        {
            seen = await slack.MessagesAsync(channel);
            var found = seen.FirstOrDefault(m => m.GetProperty("text").GetString()?.Contains(text, StringComparison.Ordinal) == true);
            if (found.ValueKind != JsonValueKind.Undefined)
            {
                return found;
            }
            await Task.Delay(250);
        }
        Assert.Fail($"No message containing \"{text}\" in {channel} within the deadline; it has: "
            + string.Join(" | ", seen.Select(m => m.GetProperty("text").GetString())));
        return default;
    }

    public async ValueTask DisposeAsync()
    {
        await Base.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
