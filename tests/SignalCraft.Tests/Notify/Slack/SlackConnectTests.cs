using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Integrations.Slack;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Notify.Slack;

public sealed class SlackConnectTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Connect_ThroughEmulatorAuthorizePage_StoresTokenEncryptedAndListsHealthyConnection(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        await using var emulator = new SlackEmulatorHost(app.Clock);
        app.Configure(emulator.AppSettings());
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");

        var authorizeUrl = await SlackTestKit.StartConnectAsync(owner);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(authorizeUrl).Query);
        Assert.StartsWith(emulator.BaseAddress + "oauth/v2/authorize?", authorizeUrl);
        Assert.Equal(SlackEmulatorHost.ClientId, query["client_id"]);
        Assert.Equal(owner.Client.BaseAddress!.ToString().TrimEnd('/') + "/integrations/slack/callback", query["redirect_uri"]);
        Assert.Equal("chat:write,chat:write.public,channels:read,groups:read,channels:join,channels:history,groups:history,users:read,users:read.email",
            query["scope"]);
        var callback = await SlackTestKit.AuthorizeAsync(authorizeUrl);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var answer = await browser.GetAsync(callback);

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/integrations?slack=connected&team=T0DEMO", answer.Headers.Location!.OriginalString);
        var listing = await owner.Client.GetStringAsync("/api/integrations");
        var connection = await SlackTestKit.SlackConnectionAsync(owner);
        Assert.Equal(("ok", "T0DEMO", "SignalCraft Demo"), (connection.GetProperty("status").GetString(),
            connection.GetProperty("slack").GetProperty("teamId").GetString(), connection.GetProperty("name").GetString()));
        Assert.DoesNotContain("xox", listing);
        var stored = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<SlackConnection>().SingleAsync());
        Assert.DoesNotContain("xox", stored.TokenProtected);
        Assert.Equal(["oauth.v2.access", "auth.test"], (await emulator.CallsAsync()).Select(c => c.GetProperty("method").GetString()).Where(m => m is "oauth.v2.access" or "auth.test"));

        var channels = await owner.Client.GetFromJsonAsync<JsonElement>("/api/integrations/slack/channels");
        Assert.Equal(["alerts", "oncall"], channels.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order());
        // Slack targets are validated against that list: a name is stored as the channel's id, an unknown one refused.
        var rule = await SlackTestKit.CreateRuleAsync(owner, "#alerts");
        Assert.Equal(SlackEmulatorHost.Alerts, rule.GetProperty("actions").GetProperty("targets")[0].GetProperty("channel").GetString());
        var unknown = await owner.Client.PostAsJsonAsync("/api/routing-rules", new
        {
            name = "nowhere", conditions = new { }, actions = new { targets = new[] { new { kind = "slack", channel = "#no-such-channel" } } },
        });
        Assert.Contains("no-such-channel", await unknown.AssertProblemAsync((HttpStatusCode)422));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Callback_ReplayedForeignOrUnknownState_Refused400AndNothingStored(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        await using var emulator = new SlackEmulatorHost(app.Clock);
        app.Configure(emulator.AppSettings());
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var other = await app.RegisterAsync("other@example.com", "Other");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        // Someone else's connect link, opened while signed in as another person: refused (and still usable by its owner).
        var callback = await SlackTestKit.AuthorizeAsync(await SlackTestKit.StartConnectAsync(owner));
        using (var foreign = new HttpRequestMessage(HttpMethod.Get, callback))
        {
            foreign.Headers.Authorization = other.Client.DefaultRequestHeaders.Authorization;
            Assert.Contains("another user", await (await browser.SendAsync(foreign)).AssertProblemAsync(HttpStatusCode.BadRequest));
        }
        var unknown = new UriBuilder(callback) { Query = "code=whatever&state=not-issued-by-signalcraft" }.Uri;
        Assert.Contains("not issued", await (await browser.GetAsync(unknown)).AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Equal("[]", await other.Client.GetStringAsync("/api/integrations"));

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(callback)).StatusCode);
        var replay = await browser.GetAsync(callback);
        Assert.Contains("already used", await replay.AssertProblemAsync(HttpStatusCode.BadRequest));
        Assert.Single(await emulator.CallsAsync("oauth.v2.access"));

        // An expired link (10 minutes) is refused too.
        var late = await SlackTestKit.AuthorizeAsync(await SlackTestKit.StartConnectAsync(owner));
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Contains("expired", await (await browser.GetAsync(late)).AssertProblemAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Connect_Cancelled_RedirectsBackWithoutConnection()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        await using var emulator = new SlackEmulatorHost(app.Clock);
        app.Configure(emulator.AppSettings());
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");

        var answer = await SlackTestKit.ConnectAsync(owner, decision: "deny");

        Assert.Equal("/integrations?slack=cancelled", answer.Headers.Location!.OriginalString);
        Assert.Equal("[]", await owner.Client.GetStringAsync("/api/integrations"));
        Assert.Empty(await emulator.CallsAsync("oauth.v2.access"));
    }
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task RotatingToken_NearItsExpiry_IsRefreshedBeforePosting(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        await using var emulator = new SlackEmulatorHost(app.Clock);
        await emulator.PutAsync("/_emulator/apps/A0EMULATOR", new { rotationEnabled = true });
        app.Configure(emulator.AppSettings());
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await Integrations.SentryIntegrationApi.CreateAsync(owner);
        var connection = await SlackTestKit.ConnectedAsync(owner);
        Assert.True(connection.GetProperty("slack").GetProperty("rotatingToken").GetBoolean());
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddHours(12), connection.GetProperty("slack").GetProperty("tokenExpiresAt").GetDateTime().ToUniversalTime());
        await SlackTestKit.CreateRuleAsync(owner, "#alerts");

        // 11 hours on, the 12-hour token has less than two hours left: refreshed (and stored) before the post.
        app.Clock.Advance(TimeSpan.FromHours(11));
        await owner.SignInAgainAsync(); // the person's own bearer token has expired meanwhile
        await SlackTestKit.SendAlertAsync(owner, integration);
        await SlackTestKit.WaitForMessagesAsync(emulator, 1);

        var refreshes = await emulator.CallsAsync("oauth.v2.access");
        Assert.Equal(2, refreshes.Count); // the install, then one refresh
        connection = await SlackTestKit.SlackConnectionAsync(owner);
        Assert.Equal(("ok", app.Clock.GetUtcNow().UtcDateTime.AddHours(12)), (connection.GetProperty("status").GetString(),
            connection.GetProperty("slack").GetProperty("tokenExpiresAt").GetDateTime().ToUniversalTime()));
    }
}
