using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Accounts;

public sealed class InvitesTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Invite_TokenIsStoredHashedAndWorksOnce(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var anonymous = app.Start();
        var owner = await app.RegisterAsync("owner@example.com");

        var token = TestUser.TokenOf(await owner.InviteAsync("new@example.com", WorkspaceRole.Admin));
        var stored = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<WorkspaceInvite>().SingleAsync());
        Assert.NotEqual(token, stored.TokenHash);
        Assert.Equal(OpaqueTokens.Hash(token), stored.TokenHash);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddDays(7), stored.ExpiresAt);
        Assert.Contains("new@example.com", await owner.Client.GetStringAsync("/api/invites"));

        var register = await anonymous.PostAsJsonAsync("/api/auth/register",
            new { email = "new@example.com", password = TestAccounts.Password, inviteToken = token });
        await register.AssertStatusAsync(HttpStatusCode.OK);
        var joined = await register.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(owner.WorkspaceId, joined.GetProperty("workspaceId").GetInt64());
        Assert.Equal("admin", joined.GetProperty("role").GetString());

        // Spent: neither registering again nor accepting works, and it left the pending list.
        var again = await anonymous.PostAsJsonAsync("/api/auth/register",
            new { email = "new@example.com", password = TestAccounts.Password, inviteToken = token });
        Assert.Contains("already used", await again.AssertProblemAsync(HttpStatusCode.Gone));
        var other = await app.RegisterAsync("other@example.com");
        await (await other.Client.PostAsync($"/api/invites/{token}/accept", null)).AssertProblemAsync(HttpStatusCode.Gone);
        Assert.Equal("[]", await owner.Client.GetStringAsync("/api/invites"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Invite_AfterSevenDays_Returns410(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var anonymous = app.Start();
        var owner = await app.RegisterAsync("owner@example.com");
        var token = TestUser.TokenOf(await owner.InviteAsync("late@example.com", WorkspaceRole.Member));

        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        var register = await anonymous.PostAsJsonAsync("/api/auth/register",
            new { email = "late@example.com", password = TestAccounts.Password, inviteToken = token });
        Assert.Contains("expired", await register.AssertProblemAsync(HttpStatusCode.Gone));
        // Nothing was created: the address can still register on its own.
        await (await anonymous.PostAsJsonAsync("/api/auth/register",
            new { email = "late@example.com", password = TestAccounts.Password, workspaceName = "Late" })).AssertStatusAsync(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Accept_InviteForAnotherEmailOrUnknown_IsRefusedAndJoinsNothing(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com");
        var mallory = await app.RegisterAsync("mallory@example.com");
        var token = TestUser.TokenOf(await owner.InviteAsync("alice@example.com", WorkspaceRole.Member));

        var wrongPerson = await mallory.Client.PostAsync($"/api/invites/{token}/accept", null);
        Assert.Contains("another email address", await wrongPerson.AssertProblemAsync(HttpStatusCode.Forbidden));
        var unknown = await mallory.Client.PostAsync("/api/invites/not-a-real-token/accept", null);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Single((await mallory.Client.GetFromJsonAsync<JsonElement>("/api/workspaces")).EnumerateArray());
        Assert.Contains("alice@example.com", await owner.Client.GetStringAsync("/api/invites"));

        // API tokens cannot accept invites: joining is for people.
        var created = await owner.Client.PostAsJsonAsync("/api/tokens", new { name = "ci" });
        using var tokenClient = app.CreateBearerClient((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
        await (await tokenClient.PostAsync($"/api/invites/{token}/accept", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task DeleteInvite_Pending_LinkStopsWorking(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var anonymous = app.Start();
        var owner = await app.RegisterAsync("owner@example.com");
        var token = TestUser.TokenOf(await owner.InviteAsync("new@example.com", WorkspaceRole.Member));
        var id = (await owner.Client.GetFromJsonAsync<JsonElement>("/api/invites"))[0].GetProperty("id").GetInt64();

        await (await owner.Client.DeleteAsync($"/api/invites/{id}")).AssertStatusAsync(HttpStatusCode.NoContent);
        await (await owner.Client.DeleteAsync($"/api/invites/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var register = await anonymous.PostAsJsonAsync("/api/auth/register",
            new { email = "new@example.com", password = TestAccounts.Password, inviteToken = token });
        await register.AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
