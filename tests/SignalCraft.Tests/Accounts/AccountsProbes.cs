using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Accounts;

/// <summary>Accounts' id-taking routes, probed from another workspace by <see cref="CrossWorkspaceIsolationTests"/>.</summary>
public sealed class AccountsProbes : ICrossWorkspaceProbeSource
{
    public IEnumerable<CrossWorkspaceProbe> Probes =>
    [
        new("PUT", "/api/members/{userId}")
        {
            ArrangeAsync = async ctx => new ProbeRequest($"/api/members/{(await NewMemberOfBAsync(ctx)).UserId}", new { role = "admin" }),
            SnapshotAsync = (ctx, _) => ReadAsync(ctx.B, "/api/members"),
        },
        new("DELETE", "/api/members/{userId}")
        {
            ArrangeAsync = async ctx => new ProbeRequest($"/api/members/{(await NewMemberOfBAsync(ctx)).UserId}"),
            SnapshotAsync = (ctx, _) => ReadAsync(ctx.B, "/api/members"),
        },
        new("POST", "/api/members/{userId}/reset-link")
        {
            ArrangeAsync = async ctx =>
            {
                var member = await NewMemberOfBAsync(ctx);
                return new ProbeRequest($"/api/members/{member.UserId}/reset-link") { State = member.UserId };
            },
            // A leak would store a reset link for B's member.
            SnapshotAsync = (ctx, request) => ctx.App.WithScopeAsync(async sp =>
            {
                var userId = (string)request.State!;
                var links = await sp.GetRequiredService<SignalCraftDbContext>().Set<PasswordResetLink>()
                    .CountAsync(l => l.UserId == userId);
                return $"reset links: {links}";
            }),
        },
        new("DELETE", "/api/invites/{id}")
        {
            ArrangeAsync = async ctx =>
            {
                var response = await ctx.B.Client.PostAsJsonAsync("/api/invites", new { email = "someone@example.com", role = "member" });
                await response.AssertStatusAsync(HttpStatusCode.Created);
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
                return new ProbeRequest($"/api/invites/{id}");
            },
            SnapshotAsync = (ctx, _) => ReadAsync(ctx.B, "/api/invites"),
        },
        new("DELETE", "/api/tokens/{id}")
        {
            ArrangeAsync = async ctx =>
            {
                var response = await ctx.B.Client.PostAsJsonAsync("/api/tokens", new { name = "b's script" });
                await response.AssertStatusAsync(HttpStatusCode.Created);
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
                return new ProbeRequest($"/api/tokens/{id}");
            },
            SnapshotAsync = (ctx, _) => ReadAsync(ctx.B, "/api/tokens"),
        },
        CrossWorkspaceProbe.Exempt("POST", "/api/invites/{token}/accept",
            "the token is a credential naming its own workspace; redeeming it is how a person joins another workspace "
            + "(InvitesTests cover expiry, single use and the invited email)"),
    ];

    private static Task<TestUser> NewMemberOfBAsync(ProbeContext ctx) => ctx.B.InviteAndJoinAsync(WorkspaceRole.Member);

    private static async Task<string> ReadAsync(TestUser user, string path)
    {
        var response = await user.Client.GetAsync(path);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }
}
