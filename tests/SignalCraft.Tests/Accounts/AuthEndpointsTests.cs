using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Accounts;

public sealed class AuthEndpointsTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Login_RegisteredUser_AnswersTokensAndBearerWorksOnApiRoutes(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();

        var register = await client.PostAsJsonAsync("/api/auth/register",
            new { email = "owner@example.com", password = TestAccounts.Password, workspaceName = "Acme" });
        await register.AssertStatusAsync(HttpStatusCode.OK);
        var registered = await register.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("owner", registered.GetProperty("role").GetString());

        var tokens = await client.LoginAsync("owner@example.com");
        Assert.Equal(3600, tokens.GetProperty("expiresIn").GetInt32());
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refreshToken").GetString()));

        using var bearer = app.CreateBearerClient(tokens.GetProperty("accessToken").GetString()!);
        var workspaces = await bearer.GetFromJsonAsync<JsonElement>("/api/workspaces");
        var only = Assert.Single(workspaces.EnumerateArray());
        Assert.Equal("Acme", only.GetProperty("name").GetString());
        Assert.Equal(registered.GetProperty("workspaceId").GetInt64(), only.GetProperty("id").GetInt64());
        Assert.Equal("owner", only.GetProperty("role").GetString());
        var members = await bearer.GetStringAsync("/api/members");
        Assert.Contains("owner@example.com", members);

        // Without credentials the same route is refused with a problem that says how to sign in.
        var anonymous = await client.GetAsync("/api/members");
        Assert.Contains("POST /api/auth/login", await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Login_UseCookies_CookieAuthorizesApiRoutes(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        await app.RegisterAsync("owner@example.com", "Acme");

        using var anonymous = app.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login?useCookies=true",
            new { email = "owner@example.com", password = TestAccounts.Password });
        await login.AssertStatusAsync(HttpStatusCode.OK);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("signalcraft.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        // A browser sends the cookie back and no Authorization header. (Sent by hand: the cookie's expiry is on the
        // app's test clock, which a client cookie jar would compare with the machine's clock.)
        using var browser = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = anonymous.BaseAddress };
        browser.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);

        var members = await browser.GetAsync("/api/members");
        await members.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("owner@example.com", await members.Content.ReadAsStringAsync());

        // Logout tells the browser to drop the cookie.
        var logout = await browser.PostAsync("/api/auth/logout", null);
        await logout.AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Contains(logout.Headers.GetValues("Set-Cookie"), c => c.StartsWith("signalcraft.auth=;", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Login_WrongPasswordOrUnknownEmail_Returns401Problem(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        await app.RegisterAsync("owner@example.com");

        var wrong = await client.PostAsJsonAsync("/api/auth/login", new { email = "owner@example.com", password = "not the password" });
        Assert.Contains("wrong", await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized));
        var unknown = await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.com", password = TestAccounts.Password });
        await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Register_DuplicateEmail_Returns409AndCreatesNothing(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");

        var again = await client.PostAsJsonAsync("/api/auth/register",
            new { email = "Owner@Example.com", password = "another long password", workspaceName = "Second" });
        Assert.Contains("already exists", await again.AssertProblemAsync(HttpStatusCode.Conflict));

        // The first account is untouched: same password, still one workspace.
        await client.LoginAsync("owner@example.com");
        Assert.Single((await owner.Client.GetFromJsonAsync<JsonElement>("/api/workspaces")).EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Register_InvalidInput_ReturnsValidationProblemNamingEachField(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();

        var shortPassword = await client.PostAsJsonAsync("/api/auth/register",
            new { email = "owner@example.com", password = "short", workspaceName = "Acme" });
        var errors = await TestAccounts.AssertValidationProblemAsync(shortPassword);
        Assert.Contains("10", errors.GetProperty("password")[0].GetString());

        var noWorkspace = await client.PostAsJsonAsync("/api/auth/register",
            new { email = "not-an-email", password = TestAccounts.Password });
        errors = await TestAccounts.AssertValidationProblemAsync(noWorkspace);
        Assert.Contains("ada@example.com", errors.GetProperty("email")[0].GetString());

        var neither = await client.PostAsJsonAsync("/api/auth/register", new { email = "owner@example.com", password = TestAccounts.Password });
        errors = await TestAccounts.AssertValidationProblemAsync(neither);
        Assert.Contains("workspaceName", errors.GetProperty("workspaceName")[0].GetString());

        // Nothing was created by the refused attempts.
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = "owner@example.com", password = TestAccounts.Password });
        await login.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Refresh_AfterAccessTokenExpired_IssuesANewWorkingAccessToken(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var owner = await app.RegisterAsync("owner@example.com");

        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await (await owner.Client.GetAsync("/api/members")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        var refresh = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = owner.RefreshToken });
        await refresh.AssertStatusAsync(HttpStatusCode.OK);
        var tokens = await refresh.Content.ReadFromJsonAsync<JsonElement>();
        using var renewed = app.CreateBearerClient(tokens.GetProperty("accessToken").GetString()!);
        await (await renewed.GetAsync("/api/members")).AssertStatusAsync(HttpStatusCode.OK);

        var garbage = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "not-a-refresh-token" });
        await garbage.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Register_RegistrationClosed_Returns403WithWhatToDo()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?> { ["Accounts:AllowRegistration"] = "false" });
        var client = app.Start();

        var response = await client.PostAsJsonAsync("/api/auth/register",
            new { email = "owner@example.com", password = TestAccounts.Password, workspaceName = "Acme" });
        Assert.Contains("invite link", await response.AssertProblemAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Request_MalformedJson_Returns400ProblemNamingTheField()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();

        var response = await client.PostAsync("/api/auth/login",
            new StringContent("""{"email": 42, "password": "x"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Contains("$.email", await response.AssertProblemAsync(HttpStatusCode.BadRequest));
    }

}
