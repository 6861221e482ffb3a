using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.E2ETests.TestHost;

/// <summary>
/// A running app connected to the Slack emulator (the seeded demo team: #alerts, #oncall) through the real OAuth
/// flow, with an owner, a Sentry integration and a browser context. Disposing stops both servers and drops the database.
/// </summary>
public sealed class SlackScenario : IAsyncDisposable
{
    private SlackScenario(SlackEmulatorHost emulator, TestDatabase db, WebApp app, Api owner, string webhook, IBrowserContext context, IPage page)
    {
        Emulator = emulator;
        Database = db;
        App = app;
        Owner = owner;
        Webhook = webhook;
        Context = context;
        Page = page;
    }

    public SlackEmulatorHost Emulator { get; }
    public TestDatabase Database { get; }
    public WebApp App { get; }
    public Api Owner { get; }
    public string Webhook { get; }
    public IBrowserContext Context { get; }
    public IPage Page { get; }

    public static async Task<SlackScenario> StartAsync(BrowserFixture browser, BrowserNewContextOptions? options = null)
    {
        var context = await browser.NewContextAsync(options); // first: skips or fails before any server starts
        var emulator = new SlackEmulatorHost();
        var db = await TestDatabase.CreateAsync(Data.DatabaseProvider.Sqlite);
        var app = new WebApp(db, emulator.AppSettings());
        app.Start();
        var owner = await Api.RegisterAsync(app, Scenario.OwnerEmail, "Acme Payments", Scenario.OwnerName);
        var webhook = await owner.CreateSentryIntegrationAsync();
        await ConnectSlackAsync(owner, emulator);
        // Clicks on the emulator's channel page go to this app, as Slack's Request URL would.
        await emulator.PutAsync("/_emulator/apps/A0EMULATOR", new { requestUrl = app.Url("/webhooks/slack/actions") });
        return new SlackScenario(emulator, db, app, owner, webhook, context, await context.NewPageAsync());
    }

    /// <summary>Slack's OAuth as a browser goes through it: authorize link, the emulator's Allow, SignalCraft's callback.</summary>
    public static async Task ConnectSlackAsync(Api admin, SlackEmulatorHost emulator)
    {
        var connect = await admin.Client.PostAsync("/api/integrations/slack/connect", null);
        await Api.ExpectAsync(connect, HttpStatusCode.OK);
        var authorize = new Uri((await connect.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizeUrl").GetString()!);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var form = System.Web.HttpUtility.ParseQueryString(authorize.Query);
        var fields = form.AllKeys.ToDictionary(k => k!, k => form[k]!);
        fields["installer"] = $"{SlackEmulatorHost.TeamId}|U0ALICE";
        fields["decision"] = "allow";
        var allowed = await browser.PostAsync(new Uri(emulator.BaseAddress, "/oauth/v2/authorize"), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        var callback = await browser.GetAsync(allowed.Headers.Location);
        Assert.True(callback.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"Slack callback answered {(int)callback.StatusCode}");
        var integrations = await admin.GetAsync("/api/integrations");
        Assert.Contains(integrations.EnumerateArray(), i => i.GetProperty("type").GetString() == "slack");
    }

    public Task<long> SendAsync(string fixture, string? issueId = null, string? title = null) =>
        SentryHooks.SendAsync(App.BaseAddress, Webhook, fixture, issueId, title);

    public Task SignInAsync(string? then = null) => Pages.SignInAsync(Page, App, Scenario.OwnerEmail, then);

    /// <summary>Creates a rule through the API (setup a journey does not test); returns its id.</summary>
    public async Task<long> CreateRuleAsync(object rule)
    {
        var response = await Owner.Client.PostAsJsonAsync("/api/routing-rules", rule);
        await Api.ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>Waits (bounded) until a top-level message in <paramref name="channel"/> contains <paramref name="text"/>.</summary>
    public Task<JsonElement> MessageAsync(string channel, string text) => EmulatorMessages.WaitAsync(Emulator.BaseAddress, channel, text);

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await App.DisposeAsync();
        await Emulator.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>The emulator's record of posted messages, read over HTTP as a test would check Slack.</summary>
public static class EmulatorMessages
{
    public static async Task<List<JsonElement>> TopLevelAsync(Uri emulator, string channel)
    {
        using var http = new HttpClient { BaseAddress = emulator };
        var all = await http.GetFromJsonAsync<JsonElement>($"/_emulator/messages?team={SlackEmulatorHost.TeamId}&channel={channel}");
        return all.EnumerateArray().Where(m => m.GetProperty("threadTs").ValueKind == JsonValueKind.Null).ToList();
    }

    public static async Task<JsonElement> WaitAsync(Uri emulator, string channel, string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        List<JsonElement> seen = [];
        while (DateTime.UtcNow < deadline)
        {
            seen = await TopLevelAsync(emulator, channel);
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
}
