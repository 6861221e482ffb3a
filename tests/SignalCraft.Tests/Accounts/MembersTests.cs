using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Accounts;

public sealed class MembersTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task InviteAcceptChangeRoleRemove_Journey_AccessFollowsEachStep(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var anonymous = app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var bob = await app.RegisterAsync("bob@example.com", "Bob's own");

        var inviteUrl = await owner.InviteAsync("bob@example.com", WorkspaceRole.Member);
        Assert.StartsWith(anonymous.BaseAddress!.ToString().TrimEnd('/') + "/invites/", inviteUrl);
        var accept = await bob.Client.PostAsync($"/api/invites/{TestUser.TokenOf(inviteUrl)}/accept", null);
        await accept.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Acme", (await accept.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());

        using var bobInAcme = app.CreateBearerClient(bob.AccessToken, owner.WorkspaceId);
        var members = await owner.Client.GetFromJsonAsync<JsonElement>("/api/members");
        Assert.Equal("member", Member(members, bob.UserId).GetProperty("role").GetString());
        // A member acts in the workspace but may not do admin things.
        await (await bobInAcme.GetAsync("/api/members")).AssertStatusAsync(HttpStatusCode.OK);
        await (await bobInAcme.PostAsJsonAsync("/api/tokens", new { name = "x" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        var promote = await owner.Client.PutAsJsonAsync($"/api/members/{bob.UserId}", new { role = "admin" });
        await promote.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("admin", (await promote.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString());
        await (await bobInAcme.PostAsJsonAsync("/api/tokens", new { name = "bob's script" })).AssertStatusAsync(HttpStatusCode.Created);

        await (await owner.Client.DeleteAsync($"/api/members/{bob.UserId}")).AssertStatusAsync(HttpStatusCode.NoContent);
        // Removal takes effect at the next request, with the same (still unexpired) bearer token.
        await (await bobInAcme.GetAsync("/api/members")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Single((await bob.Client.GetFromJsonAsync<JsonElement>("/api/workspaces")).EnumerateArray());
        Assert.DoesNotContain("bob@example.com", await owner.Client.GetStringAsync("/api/members"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Member_AdminActions_Return403WithTheRoleNeeded(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com");
        var member = await owner.InviteAndJoinAsync(WorkspaceRole.Member);
        var client = member.Client;

        HttpResponseMessage[] refused =
        [
            await client.PostAsJsonAsync("/api/invites", new { email = "x@example.com", role = "member" }),
            await client.GetAsync("/api/invites"),
            await client.PostAsJsonAsync("/api/tokens", new { name = "x" }),
            await client.GetAsync("/api/tokens"),
            await client.PutAsJsonAsync("/api/workspace/settings", new { dedupWindowMinutes = 5 }),
            await client.PutAsJsonAsync($"/api/members/{member.UserId}", new { role = "admin" }),
            await client.DeleteAsync($"/api/members/{owner.UserId}"),
            await client.PostAsync($"/api/members/{owner.UserId}/reset-link", null),
        ];
        foreach (var response in refused)
        {
            Assert.Contains("admin role", await response.AssertProblemAsync(HttpStatusCode.Forbidden));
        }

        // What members may do still works, and nothing changed.
        var members = await client.GetFromJsonAsync<JsonElement>("/api/members");
        Assert.Equal("member", Member(members, member.UserId).GetProperty("role").GetString());
        Assert.Equal("owner", Member(members, owner.UserId).GetProperty("role").GetString());
        Assert.Contains("\"dedupWindowMinutes\":60", await client.GetStringAsync("/api/workspace/settings"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task LastOwner_RemoveOrDemote_Returns409UntilAnotherOwnerExists(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com");

        var demote = await owner.Client.PutAsJsonAsync($"/api/members/{owner.UserId}", new { role = "admin" });
        Assert.Contains("last owner", await demote.AssertProblemAsync(HttpStatusCode.Conflict));
        var remove = await owner.Client.DeleteAsync($"/api/members/{owner.UserId}");
        Assert.Contains("make another member an owner first", await remove.AssertProblemAsync(HttpStatusCode.Conflict));

        var second = await owner.InviteAndJoinAsync(WorkspaceRole.Owner);
        await (await second.Client.PutAsJsonAsync($"/api/members/{owner.UserId}", new { role = "member" })).AssertStatusAsync(HttpStatusCode.OK);
        // Now `second` is the last owner.
        await (await second.Client.DeleteAsync($"/api/members/{second.UserId}")).AssertProblemAsync(HttpStatusCode.Conflict);
        var members = await second.Client.GetFromJsonAsync<JsonElement>("/api/members");
        Assert.Single(members.EnumerateArray(), m => m.GetProperty("role").GetString() == "owner");
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Admin_OwnerRoleChanges_Return403(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com");
        var admin = await owner.InviteAndJoinAsync(WorkspaceRole.Admin);
        var member = await owner.InviteAndJoinAsync(WorkspaceRole.Member);

        var inviteOwner = await admin.Client.PostAsJsonAsync("/api/invites", new { email = "x@example.com", role = "owner" });
        Assert.Contains("Only an owner", await inviteOwner.AssertProblemAsync(HttpStatusCode.Forbidden));
        await (await admin.Client.PutAsJsonAsync($"/api/members/{member.UserId}", new { role = "owner" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.Client.PutAsJsonAsync($"/api/members/{owner.UserId}", new { role = "member" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.Client.DeleteAsync($"/api/members/{owner.UserId}")).AssertProblemAsync(HttpStatusCode.Forbidden);

        // Admins manage members and admins.
        await (await admin.Client.PutAsJsonAsync($"/api/members/{member.UserId}", new { role = "admin" })).AssertStatusAsync(HttpStatusCode.OK);
        await (await admin.Client.DeleteAsync($"/api/members/{member.UserId}")).AssertStatusAsync(HttpStatusCode.NoContent);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ChangeRole_UnknownRoleOrUser_ReturnsProblemNamingIt(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com");
        var member = await owner.InviteAndJoinAsync(WorkspaceRole.Member);

        var badRole = await owner.Client.PutAsJsonAsync($"/api/members/{member.UserId}", new { role = "superuser" });
        Assert.Contains("$.role", await badRole.AssertProblemAsync(HttpStatusCode.BadRequest));
        var numeric = await owner.Client.PutAsJsonAsync($"/api/members/{member.UserId}", new { role = 2 });
        await numeric.AssertProblemAsync(HttpStatusCode.BadRequest);
        var missing = await owner.Client.PutAsJsonAsync($"/api/members/{member.UserId}", new { });
        Assert.True((await missing.AssertValidationProblemAsync()).TryGetProperty("role", out _));
        var unknown = await owner.Client.PutAsJsonAsync("/api/members/no-such-user", new { role = "admin" });
        Assert.Contains("no-such-user", await unknown.AssertProblemAsync(HttpStatusCode.NotFound));
        Assert.Contains("\"role\":\"member\"", await member.Client.GetStringAsync("/api/members"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task DemoteEachOther_TwoOwnersConcurrently_OneOwnerRemains(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var first = await app.RegisterAsync("first@example.com");
        var second = await first.InviteAndJoinAsync(WorkspaceRole.Owner);

        for (var round = 0; round < 3; round++)
        {
            var results = await Task.WhenAll(
                first.Client.PutAsJsonAsync($"/api/members/{second.UserId}", new { role = "admin" }),
                second.Client.PutAsJsonAsync($"/api/members/{first.UserId}", new { role = "admin" }));
            // One wins; the other is refused: 409 if it checked the owner count after the winner committed, or 403 if
            // it was already demoted when its role was checked.
            Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
            Assert.Single(results, r => r.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Forbidden);

            var members = await app.CreateBearerClient(first.AccessToken, first.WorkspaceId).GetFromJsonAsync<JsonElement>("/api/members");
            var owners = members.EnumerateArray().Where(m => m.GetProperty("role").GetString() == "owner").ToList();
            var remaining = Assert.Single(owners).GetProperty("userId").GetString();
            // Restore two owners for the next round.
            var (ownerClient, other) = remaining == first.UserId ? (first.Client, second.UserId) : (second.Client, first.UserId);
            await (await ownerClient.PutAsJsonAsync($"/api/members/{other}", new { role = "owner" })).AssertStatusAsync(HttpStatusCode.OK);
        }
    }

    private static JsonElement Member(JsonElement members, string userId) =>
        members.EnumerateArray().Single(m => m.GetProperty("userId").GetString() == userId);
}
