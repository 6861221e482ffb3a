using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Accounts;

namespace SignalCraft.Tests.TestHost;

/// <summary>
/// A signed-in person of a running app. <see cref="Client"/> sends their bearer token and <c>X-Workspace-Id</c> of
/// <see cref="WorkspaceId"/>, so it keeps working when the person joins more workspaces.
/// </summary>
public sealed class TestUser
{
    private TestUser(SignalCraftApp app, string userId, string email, string password, long workspaceId, WorkspaceRole role)
    {
        App = app;
        UserId = userId;
        Email = email;
        Password = password;
        WorkspaceId = workspaceId;
        Role = role;
    }

    public SignalCraftApp App { get; }
    public string UserId { get; }
    public string Email { get; }
    public string Password { get; }
    public long WorkspaceId { get; }
    public WorkspaceRole Role { get; }
    public string AccessToken { get; private set; } = "";
    public string RefreshToken { get; private set; } = "";
    public HttpClient Client { get; private set; } = null!;

    internal static async Task<TestUser> SignInAsync(
        SignalCraftApp app, string userId, string email, string password, long workspaceId, WorkspaceRole role)
    {
        var user = new TestUser(app, userId, email, password, workspaceId, role);
        await user.SignInAgainAsync();
        return user;
    }

    /// <summary>Gets a fresh bearer token, e.g. after the test clock moved past the token's hour.</summary>
    public async Task SignInAgainAsync()
    {
        using var anonymous = App.CreateClient();
        var tokens = await anonymous.LoginAsync(Email, Password);
        AccessToken = tokens.GetProperty("accessToken").GetString()!;
        RefreshToken = tokens.GetProperty("refreshToken").GetString()!;
        Client = App.CreateBearerClient(AccessToken, WorkspaceId);
    }

    /// <summary>
    /// This user (an admin or owner) invites a new person with <paramref name="role"/>; the person registers through the
    /// invite link's token and signs in. Returns them, acting in this user's workspace.
    /// </summary>
    public async Task<TestUser> InviteAndJoinAsync(WorkspaceRole role, string? email = null)
    {
        email ??= $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}@example.com";
        var inviteUrl = await InviteAsync(email, role);
        using var anonymous = App.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/auth/register",
            new { email, password = TestAccounts.Password, inviteToken = TokenOf(inviteUrl) });
        await response.AssertStatusAsync(HttpStatusCode.OK);
        var registered = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(WorkspaceId, registered.GetProperty("workspaceId").GetInt64());
        return await SignInAsync(App, registered.GetProperty("userId").GetString()!, email, TestAccounts.Password, WorkspaceId, role);
    }

    /// <summary>Creates an invite and returns its URL.</summary>
    public async Task<string> InviteAsync(string email, WorkspaceRole role)
    {
        var response = await Client.PostAsJsonAsync("/api/invites", new { email, role });
        await response.AssertStatusAsync(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("inviteUrl").GetString()!;
    }

    /// <summary>The token in an invite or reset link (its last path segment).</summary>
    public static string TokenOf(string url) => new Uri(url).AbsolutePath.Split('/')[^1];
}
