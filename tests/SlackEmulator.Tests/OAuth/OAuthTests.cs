using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.OAuth;

/// <summary>OAuth v2: authorize page → code → oauth.v2.access → working token, and token rotation.</summary>
public sealed partial class OAuthTests(EmulatorHost host) : EmulatorTest(host)
{
    private const string ClientId = "signalcraft-client";
    private const string ClientSecret = "signalcraft-secret";
    private const string RedirectUri = "http://127.0.0.1:5080/slack/oauth/callback";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Emulator.SetClockAsync(DateTimeOffset.FromUnixTimeSeconds(1_718_000_000));
        await ConfigureAppAsync(rotation: false);
    }

    private Task ConfigureAppAsync(bool rotation) => Emulator.PutAsync("/_emulator/apps/A0SIGNAL", new
    {
        name = "SignalCraft",
        clientId = ClientId,
        clientSecret = ClientSecret,
        redirectUrls = new[] { RedirectUri },
        rotationEnabled = rotation,
    });

    private HttpClient NoRedirectClient() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Host.BaseAddress };

    /// <summary>Opens the authorize page, checks it asks "Allow", submits Allow and returns the redirect.</summary>
    private async Task<Uri> AuthorizeAsync(string decision = "allow", string scope = "chat:write,channels:read")
    {
        using var client = NoRedirectClient();
        var query = $"client_id={ClientId}&scope={Uri.EscapeDataString(scope)}&redirect_uri={Uri.EscapeDataString(RedirectUri)}&state=xyz-state";
        var page = await client.GetStringAsync($"/oauth/v2/authorize?{query}", Ct);
        Assert.Contains(">Allow</button>", page);
        Assert.Contains("chat:write", page);
        var installer = InstallerOption().Match(page).Groups[1].Value;
        Assert.Equal($"{W.TeamId}|{W.AliceId}", installer);

        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = ClientId, ["scope"] = scope, ["redirect_uri"] = RedirectUri, ["state"] = "xyz-state",
            ["installer"] = installer, ["decision"] = decision,
        });
        var response = await client.PostAsync("/oauth/v2/authorize", form, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    private async Task<JsonObject> AccessAsync(Dictionary<string, string> fields, string secret = ClientSecret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/oauth.v2.access") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{secret}")));
        var response = await Host.Http.SendAsync(request, Ct);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
    }

    private static string Query(Uri uri, string key) =>
        uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Where(p => p[0] == key).Select(p => Uri.UnescapeDataString(p[1])).Single();

    [Fact]
    public async Task Authorize_AllowThenAccess_IssuesWorkingBotToken()
    {
        var redirect = await AuthorizeAsync();
        Assert.StartsWith(RedirectUri + "?", redirect.ToString());
        Assert.Equal("xyz-state", Query(redirect, "state"));

        var body = await AccessAsync(new() { ["code"] = Query(redirect, "code"), ["redirect_uri"] = RedirectUri });

        Assert.True(body["ok"]!.GetValue<bool>(), body.ToJsonString());
        Fixtures.AssertHasKeysOf(Fixtures.Json("oauth.v2.access.response.ok.json"), body, "incoming_webhook");
        Assert.Equal("bot", Str(body["token_type"]));
        Assert.Equal("chat:write,channels:read", Str(body["scope"]));
        Assert.Equal(W.TeamId, Str(body["team"]!["id"]));
        Assert.Equal(W.AliceId, Str(body["authed_user"]!["id"]));
        Assert.Null(body["bot_id"]);
        var (_, auth) = await Emulator.ApiJsonAsync("auth.test", Str(body["access_token"]), new { });
        Assert.True(auth["ok"]!.GetValue<bool>());
        Assert.Equal(Str(body["bot_user_id"]), Str(auth["user_id"]));
    }

    [Fact]
    public async Task Authorize_Cancel_RedirectsWithAccessDenied()
    {
        var redirect = await AuthorizeAsync(decision: "deny");

        Assert.Equal("access_denied", Query(redirect, "error"));
        Assert.Equal("xyz-state", Query(redirect, "state"));
    }

    [Fact]
    public async Task Authorize_RedirectUriNotRegistered_ShowsErrorWithoutRedirect()
    {
        using var client = NoRedirectClient();

        var response = await client.GetAsync($"/oauth/v2/authorize?client_id={ClientId}&scope=chat:write&redirect_uri=https://evil.example/cb", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("bad_redirect_uri", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Access_CodeUsedTwice_SecondReturnsInvalidCodeLikeFixture()
    {
        var code = Query(await AuthorizeAsync(), "code");
        await AccessAsync(new() { ["code"] = code, ["redirect_uri"] = RedirectUri });

        var body = await AccessAsync(new() { ["code"] = code, ["redirect_uri"] = RedirectUri });

        Assert.True(JsonNode.DeepEquals(Fixtures.Json("oauth.v2.access.response.error.json"), body));
    }

    [Fact]
    public async Task Access_CodeOlderThanTenMinutes_ReturnsInvalidCode()
    {
        var code = Query(await AuthorizeAsync(), "code");
        await Emulator.AdvanceAsync(601);

        var body = await AccessAsync(new() { ["code"] = code, ["redirect_uri"] = RedirectUri });

        Assert.Equal("invalid_code", Str(body["error"]));
    }

    [Fact]
    public async Task Access_RedirectUriMismatch_ReturnsBadRedirectUri()
    {
        var code = Query(await AuthorizeAsync(), "code");

        var body = await AccessAsync(new() { ["code"] = code, ["redirect_uri"] = RedirectUri + "/other" });

        Assert.Equal("bad_redirect_uri", Str(body["error"]));
    }

    [Fact]
    public async Task Access_WrongClientSecret_ReturnsBadClientSecret()
    {
        var code = Query(await AuthorizeAsync(), "code");

        var body = await AccessAsync(new() { ["code"] = code, ["redirect_uri"] = RedirectUri }, secret: "wrong");

        Assert.Equal("bad_client_secret", Str(body["error"]));
    }

    [Fact]
    public async Task Access_CredentialsAsFormFields_AreAccepted()
    {
        var code = Query(await AuthorizeAsync(), "code");

        var (_, body) = await Emulator.ApiFormAsync("oauth.v2.access", null, new Dictionary<string, string>
        {
            ["client_id"] = ClientId, ["client_secret"] = ClientSecret, ["code"] = code, ["redirect_uri"] = RedirectUri,
        });

        Assert.True(body["ok"]!.GetValue<bool>(), body.ToJsonString());
    }

    [Fact]
    public async Task Rotation_AccessThenExpiryThenRefresh_IssuesNewPairAndRetiresOldRefreshToken()
    {
        await ConfigureAppAsync(rotation: true);
        var code = Query(await AuthorizeAsync(), "code");

        var install = await AccessAsync(new() { ["code"] = code, ["redirect_uri"] = RedirectUri });
        Fixtures.AssertHasKeysOf(Fixtures.Json("oauth.v2.access.response.rotation.json"), install);
        Assert.Equal(43_200, install["expires_in"]!.GetValue<int>());
        Assert.StartsWith("xoxe.xoxb-", Str(install["access_token"]));
        Assert.StartsWith("xoxe-1-", Str(install["refresh_token"]));

        await Emulator.AdvanceAsync(43_200);
        var (_, expired) = await Emulator.ApiJsonAsync("auth.test", Str(install["access_token"]), new { });
        Assert.Equal("token_expired", Str(expired["error"]));

        var refreshed = await AccessAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = Str(install["refresh_token"]) });
        Assert.True(refreshed["ok"]!.GetValue<bool>(), refreshed.ToJsonString());
        Assert.NotEqual(Str(install["access_token"]), Str(refreshed["access_token"]));
        Assert.NotEqual(Str(install["refresh_token"]), Str(refreshed["refresh_token"]));
        var (_, auth) = await Emulator.ApiJsonAsync("auth.test", Str(refreshed["access_token"]), new { });
        Assert.True(auth["ok"]!.GetValue<bool>());

        var reused = await AccessAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = Str(install["refresh_token"]) });
        Assert.Equal("invalid_refresh_token", Str(reused["error"]));
    }

    [Fact]
    public async Task Refresh_RotationOff_ReturnsInvalidRefreshToken()
    {
        var body = await AccessAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = "xoxe-1-unknown" });

        Assert.Equal("invalid_refresh_token", Str(body["error"]));
    }

    [GeneratedRegex("<option value=\"([^\"]+)\"")]
    private static partial Regex InstallerOption();
}
