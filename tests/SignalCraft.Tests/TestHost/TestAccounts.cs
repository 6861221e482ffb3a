using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Accounts;

namespace SignalCraft.Tests.TestHost;

/// <summary>
/// Signing people up in a running <see cref="SignalCraftApp"/> (after <c>app.Start()</c>):
/// <c>var owner = await app.RegisterAsync("owner@example.com");</c> then <c>owner.Client</c> calls the API as the
/// owner of a fresh workspace, and <c>await owner.InviteAndJoinAsync(WorkspaceRole.Member)</c> adds a second person.
/// </summary>
public static class TestAccounts
{
    /// <summary>Satisfies the password rules (length over composition).</summary>
    public const string Password = "correct horse battery staple";

    /// <summary>Registers <paramref name="email"/> with a new workspace it owns, and signs in with a bearer token.</summary>
    public static async Task<TestUser> RegisterAsync(this SignalCraftApp app, string email, string? workspaceName = null,
        string password = Password)
    {
        using var anonymous = app.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/auth/register",
            new { email, password, workspaceName = workspaceName ?? $"Workspace of {email}" });
        await response.AssertStatusAsync(HttpStatusCode.OK);
        var registered = await response.Content.ReadFromJsonAsync<JsonElement>();
        return await TestUser.SignInAsync(app, registered.GetProperty("userId").GetString()!, email, password,
            registered.GetProperty("workspaceId").GetInt64(), WorkspaceRole.Owner);
    }

    /// <summary>Signs in with a password; returns the token response (accessToken, expiresIn, refreshToken).</summary>
    public static async Task<JsonElement> LoginAsync(this HttpClient client, string email, string password = Password)
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Fails with the response body in the message (a problem detail says what went wrong).</summary>
    public static async Task AssertStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected "
                + $"{(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        }
    }

    /// <summary>Asserts a problem details answer with <paramref name="status"/> and returns its detail text.</summary>
    public static async Task<string> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await ReadProblemAsync(response, status);
        return problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : problem.ToString();
    }

    /// <summary>Asserts a 400 validation problem and returns its <c>errors</c> object (field → messages).</summary>
    public static async Task<JsonElement> AssertValidationProblemAsync(this HttpResponseMessage response)
    {
        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors), $"no errors in {problem}");
        return errors;
    }

    private static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        await response.AssertStatusAsync(status);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"expected problem details, got {response.Content.Headers.ContentType}: {body}");
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>A client that sends <paramref name="bearer"/> (and <c>X-Workspace-Id</c> when given).</summary>
    public static HttpClient CreateBearerClient(this SignalCraftApp app, string bearer, long? workspaceId = null)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (workspaceId is { } id)
        {
            client.DefaultRequestHeaders.Add(WorkspaceResolver.HeaderName, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return client;
    }
}
