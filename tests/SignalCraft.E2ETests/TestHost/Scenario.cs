namespace SignalCraft.E2ETests.TestHost;

/// <summary>
/// A running app with an owner (signed up through the API) and a Sentry integration, plus a browser context: the
/// starting point of most journeys. Disposing stops the app and drops its database.
/// </summary>
public sealed class Scenario : IAsyncDisposable
{
    private Scenario(TestDatabase db, WebApp app, Api owner, string webhook, IBrowserContext context, IPage page)
    {
        Database = db;
        App = app;
        Owner = owner;
        Webhook = webhook;
        Context = context;
        Page = page;
    }

    public const string OwnerEmail = "dana@example.com";
    public const string OwnerName = "Dana Ops";

    public TestDatabase Database { get; }
    public WebApp App { get; }
    public Api Owner { get; }
    public string Webhook { get; }
    public IBrowserContext Context { get; }
    public IPage Page { get; }

    public static async Task<Scenario> StartAsync(BrowserFixture browser, BrowserNewContextOptions? options = null,
        Data.DatabaseProvider provider = Data.DatabaseProvider.Sqlite, IDictionary<string, string?>? settings = null)
    {
        var db = await TestDatabase.CreateAsync(provider);
        var app = new WebApp(db, settings);
        app.Start();
        var owner = await Api.RegisterAsync(app, OwnerEmail, "Acme Payments", OwnerName);
        var webhook = await owner.CreateSentryIntegrationAsync();
        var context = await browser.NewContextAsync(options);
        return new Scenario(db, app, owner, webhook, context, await context.NewPageAsync());
    }

    /// <summary>Sends a Sentry fixture (optionally as another issue, with another title); returns the group id.</summary>
    public Task<long> SendAsync(string fixture, string? issueId = null, string? title = null) =>
        SentryHooks.SendAsync(App.BaseAddress, Webhook, fixture, issueId, title);

    /// <summary>Four groups from the four production/staging fixtures: error, fatal, warning (staging), info.</summary>
    public async Task<(long Error, long Fatal, long Staging, long Info)> SendFourAsync() => (
        await SendAsync("event_alert.error.production"),
        await SendAsync("event_alert.fatal.production"),
        await SendAsync("event_alert.warning.staging"),
        await SendAsync("event_alert.info.production.wire-compact"));

    public Task SignInAsync(string? then = null) => Pages.SignInAsync(Page, App, OwnerEmail, then);

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}
