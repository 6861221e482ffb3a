using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Accounts;

/// <summary>Which workspace a request acts in: the only one, or X-Workspace-Id; 400 and 404 when that cannot be decided.</summary>
public sealed class WorkspacesTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Request_UserOfSeveralWorkspacesWithoutHeader_Returns400ThenHeaderSelects(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");

        var create = await owner.Client.PostAsJsonAsync("/api/workspaces", new { name = "Acme Labs" });
        await create.AssertStatusAsync(HttpStatusCode.Created);
        var second = (await create.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var listed = (await owner.Client.GetFromJsonAsync<JsonElement>("/api/workspaces")).EnumerateArray()
            .Select(w => (w.GetProperty("id").GetInt64(), w.GetProperty("name").GetString(), w.GetProperty("role").GetString()))
            .ToList();
        Assert.Equal([(owner.WorkspaceId, "Acme", "owner"), (second, "Acme Labs", "owner")], listed);

        using var noHeader = app.CreateBearerClient(owner.AccessToken);
        var ambiguous = await noHeader.GetAsync("/api/members");
        Assert.Contains("X-Workspace-Id", await ambiguous.AssertProblemAsync(HttpStatusCode.BadRequest));

        // Each workspace has its own settings; the header picks which one a request changes.
        using var inSecond = app.CreateBearerClient(owner.AccessToken, second);
        await (await inSecond.PutAsJsonAsync("/api/workspace/settings", new { dedupWindowMinutes = 5 })).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("\"dedupWindowMinutes\":5", await inSecond.GetStringAsync("/api/workspace/settings"));
        Assert.Contains("\"dedupWindowMinutes\":60", await owner.Client.GetStringAsync("/api/workspace/settings"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Request_HeaderNamesAWorkspaceTheCallerIsNotIn_Returns404(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var a = await app.RegisterAsync("a@example.com", "A");
        var b = await app.RegisterAsync("b@example.com", "B");

        using var intoB = app.CreateBearerClient(a.AccessToken, b.WorkspaceId);
        Assert.Contains($"{b.WorkspaceId}", await (await intoB.GetAsync("/api/members")).AssertProblemAsync(HttpStatusCode.NotFound));
        using var nowhere = app.CreateBearerClient(a.AccessToken, 999_999);
        await (await nowhere.GetAsync("/api/workspace/settings")).AssertProblemAsync(HttpStatusCode.NotFound);
        using var garbage = app.CreateClient();
        garbage.DefaultRequestHeaders.Authorization = new("Bearer", a.AccessToken);
        garbage.DefaultRequestHeaders.Add(WorkspaceResolver.HeaderName, "acme");
        Assert.Contains("X-Workspace-Id", await (await garbage.GetAsync("/api/members")).AssertProblemAsync(HttpStatusCode.BadRequest));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CurrentWorkspace_MemberRequest_ExposesWorkspaceUserRoleAndDisplayName(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var member = await owner.InviteAndJoinAsync(WorkspaceRole.Member, "member@example.com");

        // The resolver is what every RequireWorkspace() endpoint runs; drive it with the member's principal.
        var current = await app.WithScopeAsync(async sp =>
        {
            var http = new DefaultHttpContext
            {
                RequestServices = sp,
                User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, member.UserId)], "test")),
            };
            var resolution = await sp.GetRequiredService<WorkspaceResolver>().ResolveAsync(http);
            Assert.True(resolution.Succeeded, resolution.Detail);
            var workspace = sp.GetRequiredService<CurrentWorkspace>();
            var dbContext = sp.GetRequiredService<SignalCraftDbContext>();
            return (workspace.WorkspaceId, workspace.UserId, workspace.Role, workspace.DisplayName, workspace.IsApiToken, dbContext.CurrentWorkspaceId);
        });
        Assert.Equal((owner.WorkspaceId, member.UserId, WorkspaceRole.Member, "member@example.com", false, (long?)owner.WorkspaceId), current);
    }
}
