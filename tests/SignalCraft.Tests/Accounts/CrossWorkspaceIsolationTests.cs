using System.Net;
using System.Net.Http.Json;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Accounts;

/// <summary>
/// Another workspace's ids answer 404 and change nothing, on every id-taking <c>/api</c> route. A new route that takes
/// ids fails <see cref="EveryIdTakingApiRoute_HasACrossWorkspaceProbe"/> until its feature registers a probe (an
/// <see cref="ICrossWorkspaceProbeSource"/> in its test folder).
/// </summary>
public sealed class CrossWorkspaceIsolationTests
{
    [Fact]
    public async Task EveryIdTakingApiRoute_HasACrossWorkspaceProbe()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        app.Start();

        var routes = CrossWorkspaceProbes.IdTakingRoutes(app.Services);
        var probed = CrossWorkspaceProbes.All.Select(p => p.Key).ToHashSet();

        var missing = routes.Where(r => !probed.Contains(r.Key)).Select(r => $"{r.Key} (takes {r.Value})").ToList();
        Assert.True(missing.Count == 0,
            "These /api routes take ids but have no cross-workspace probe; add one to your feature's ICrossWorkspaceProbeSource:\n"
            + string.Join("\n", missing));
        var stale = probed.Where(key => !routes.ContainsKey(key)).ToList();
        Assert.True(stale.Count == 0, "These probes name no id-taking /api route (renamed?):\n" + string.Join("\n", stale));
        Assert.All(CrossWorkspaceProbes.All.Where(p => p.ExemptBecause is null),
            p => Assert.True(p.ArrangeAsync is not null && p.SnapshotAsync is not null, $"{p.Key}: needs ArrangeAsync and SnapshotAsync"));
        // The enumeration itself works: Accounts' own id routes are found.
        Assert.Contains("PUT /api/members/{userId}", routes.Keys);
        Assert.Contains("DELETE /api/tokens/{id}", routes.Keys);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OtherWorkspaceIds_EveryProbe_Answers404AndChangesNothing(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        // Slack connections are probed too: they are made through the emulator's OAuth page.
        await using var slack = new SlackEmulatorHost(app.Clock);
        app.Configure(slack.AppSettings());
        app.Start();
        var context = new ProbeContext(app, await app.RegisterAsync("a-owner@example.com", "Workspace A"),
            await app.RegisterAsync("b-owner@example.com", "Workspace B"));

        var failures = new List<string>();
        var probes = CrossWorkspaceProbes.All.Where(p => p.ExemptBecause is null).ToList();
        Assert.NotEmpty(probes);
        foreach (var probe in probes)
        {
            var request = await probe.ArrangeAsync!(context);
            var before = await probe.SnapshotAsync!(context, request);

            var response = await context.A.Client.SendAsync(Build(probe.Method, request));
            if (probe.AssertResponseAsync is { } assert)
            {
                try
                {
                    await assert(response);
                }
                catch (Exception e)
                {
                    failures.Add($"{probe.Key} from workspace A: {e.Message}");
                }
            }
            else if (response.StatusCode != HttpStatusCode.NotFound)
            {
                failures.Add($"{probe.Key} from workspace A answered {(int)response.StatusCode}, expected 404: "
                    + await response.Content.ReadAsStringAsync());
            }

            var after = await probe.SnapshotAsync(context, request);
            if (before != after)
            {
                failures.Add($"{probe.Key} from workspace A changed workspace B:\n  before {before}\n  after  {after}");
            }

            if (probe.OwnerRequestSucceeds)
            {
                var own = await context.B.Client.SendAsync(Build(probe.Method, request));
                if (!own.IsSuccessStatusCode)
                {
                    failures.Add($"{probe.Key}: the probe names no real resource, workspace B's own request answered "
                        + $"{(int)own.StatusCode}: {await own.Content.ReadAsStringAsync()}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Listings_TwoWorkspaces_ShowOnlyTheCallersRows(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var a = await app.RegisterAsync("a-owner@example.com", "Workspace A");
        var b = await app.RegisterAsync("b-owner@example.com", "Workspace B");
        await b.InviteAsync("b-invitee@example.com", SignalCraft.Accounts.WorkspaceRole.Member);
        await (await b.Client.PostAsJsonAsync("/api/tokens", new { name = "b-token" })).AssertStatusAsync(HttpStatusCode.Created);
        await (await b.Client.PutAsJsonAsync("/api/workspace/settings", new { dedupWindowMinutes = 5 })).AssertStatusAsync(HttpStatusCode.OK);

        var members = await a.Client.GetStringAsync("/api/members");
        Assert.Contains("a-owner@example.com", members);
        Assert.DoesNotContain("b-owner@example.com", members);
        Assert.Equal("[]", await a.Client.GetStringAsync("/api/invites"));
        Assert.Equal("[]", await a.Client.GetStringAsync("/api/tokens"));
        Assert.Contains("\"dedupWindowMinutes\":60", await a.Client.GetStringAsync("/api/workspace/settings"));
        var workspaces = await a.Client.GetStringAsync("/api/workspaces");
        Assert.Contains("Workspace A", workspaces);
        Assert.DoesNotContain("Workspace B", workspaces);
    }

    private static HttpRequestMessage Build(string method, ProbeRequest request) => new(new HttpMethod(method), request.Path)
    {
        Content = request.Body is null ? null : JsonContent.Create(request.Body),
    };
}
