using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Accounts;

public sealed class ApiTokensTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ApiToken_CreateUseListDelete_ShownOnceAndRevokedAtTheNextRequest(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");

        var create = await owner.Client.PostAsJsonAsync("/api/tokens", new { name = "deploy script" });
        await create.AssertStatusAsync(HttpStatusCode.Created);
        var created = await create.Content.ReadFromJsonAsync<JsonElement>();
        var token = created.GetProperty("token").GetString()!;
        var id = created.GetProperty("id").GetInt64();
        Assert.StartsWith("sc_", token);
        Assert.True(token.Length >= 40, token);

        // The token acts in its workspace (no X-Workspace-Id needed) with admin rights.
        using var script = app.CreateBearerClient(token);
        Assert.Contains("owner@example.com", await script.GetStringAsync("/api/members"));
        await (await script.PutAsJsonAsync("/api/workspace/settings", new { deliverySloSeconds = 90 })).AssertStatusAsync(HttpStatusCode.OK);
        var workspaces = await script.GetFromJsonAsync<JsonElement>("/api/workspaces");
        Assert.Equal("Acme", Assert.Single(workspaces.EnumerateArray()).GetProperty("name").GetString());

        // Never shown again, stored only as its SHA-256.
        var list = await owner.Client.GetStringAsync("/api/tokens");
        Assert.Contains("deploy script", list);
        Assert.Contains(token[..7], list);
        Assert.DoesNotContain(token, list);
        var stored = await app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<ApiToken>().SingleAsync());
        Assert.Equal(OpaqueTokens.Hash(token), stored.TokenHash);
        Assert.NotNull(stored.LastUsedAt);

        await (await owner.Client.DeleteAsync($"/api/tokens/{id}")).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Contains("not valid", await (await script.GetAsync("/api/members")).AssertProblemAsync(HttpStatusCode.Unauthorized));
        Assert.Equal("[]", await owner.Client.GetStringAsync("/api/tokens"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ApiToken_OutsideItsWorkspaceOrBeyondAdmin_IsRefused(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com");
        var other = await app.RegisterAsync("other@example.com");
        var create = await owner.Client.PostAsJsonAsync("/api/tokens", new { name = "ci" });
        var token = (await create.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        using var elsewhere = app.CreateBearerClient(token, other.WorkspaceId);
        await (await elsewhere.GetAsync("/api/members")).AssertProblemAsync(HttpStatusCode.NotFound);
        using var script = app.CreateBearerClient(token);
        Assert.Contains("API tokens", await (await script.PostAsJsonAsync("/api/workspaces", new { name = "New" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden));
        // Admin rights, not owner rights: it cannot demote the owner.
        await (await script.PutAsJsonAsync($"/api/members/{owner.UserId}", new { role = "member" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        using var forged = app.CreateBearerClient("sc_" + new string('A', 43));
        await (await forged.GetAsync("/api/members")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
