using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SignalCraft.E2ETests.TestHost;

/// <summary>
/// The HTTP API as a script would use it (bearer token), to set up what a journey needs but does not test:
/// accounts, an integration, invites.
/// </summary>
public sealed class Api(HttpClient client)
{
    public const string Password = "correct horse battery staple";

    public HttpClient Client { get; } = client;

    public static HttpClient Anonymous(WebApp app) => new() { BaseAddress = app.BaseAddress };

    /// <summary>Registers <paramref name="email"/> with a new workspace, then signs in with a bearer token.</summary>
    public static async Task<Api> RegisterAsync(WebApp app, string email, string workspaceName, string? displayName = null)
    {
        using var anonymous = Anonymous(app);
        var response = await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = Password, workspaceName, displayName });
        await ExpectAsync(response, HttpStatusCode.OK);
        return await SignInAsync(app, email);
    }

    public static async Task<Api> SignInAsync(WebApp app, string email)
    {
        using var anonymous = Anonymous(app);
        var response = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        await ExpectAsync(response, HttpStatusCode.OK);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        var client = Anonymous(app);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new Api(client);
    }

    /// <summary>Creates a signed Sentry integration with the fixtures' client secret; returns its webhook path.</summary>
    public async Task<string> CreateSentryIntegrationAsync()
    {
        var response = await Client.PostAsJsonAsync("/api/integrations",
            new { type = "sentry", name = "Sentry", mode = "signed", clientSecret = SentryHooks.ClientSecret });
        await ExpectAsync(response, HttpStatusCode.Created);
        var url = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("webhookUrl").GetString()!;
        return new Uri(url).AbsolutePath;
    }

    /// <summary>Invites <paramref name="email"/> as <paramref name="role"/>; the invitee registers through the token.</summary>
    public async Task<Api> InviteAndJoinAsync(WebApp app, string email, string role)
    {
        var response = await Client.PostAsJsonAsync("/api/invites", new { email, role });
        await ExpectAsync(response, HttpStatusCode.Created);
        var url = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("inviteUrl").GetString()!;
        using var anonymous = Anonymous(app);
        var joined = await anonymous.PostAsJsonAsync("/api/auth/register",
            new { email, password = Password, inviteToken = new Uri(url).AbsolutePath.Split('/')[^1] });
        await ExpectAsync(joined, HttpStatusCode.OK);
        return await SignInAsync(app, email);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        var response = await Client.GetAsync(path);
        await ExpectAsync(response, HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, "
                + $"got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
