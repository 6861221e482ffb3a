using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Inbox;

/// <summary>Inbox routes probed from another workspace: B's group must not change or leak.</summary>
public sealed class InboxProbes : ICrossWorkspaceProbeSource
{
    public IEnumerable<CrossWorkspaceProbe> Probes =>
    [
        new("GET", "/api/alert-groups/{id}") { ArrangeAsync = Group(id => ($"/api/alert-groups/{id}", null)), SnapshotAsync = Snapshot },
        Action("ack"), Action("unack"), Action("snooze", new { minutes = 30 }), Action("unsnooze"), Action("resolve"),
        Action("notes", new { text = "from another workspace" }), Action("severity", new { severity = "info" }),
        new("POST", "/api/alert-groups/{id}/reopen")
        {
            ArrangeAsync = async ctx =>
            {
                var id = await NewGroupAsync(ctx);
                (await ctx.B.Client.PostAsJsonAsync($"/api/alert-groups/{id}/resolve", new { })).EnsureSuccessStatusCode();
                return new ProbeRequest($"/api/alert-groups/{id}/reopen", new { }) { State = id };
            },
            SnapshotAsync = Snapshot,
        },
        new("POST", "/api/alert-groups/{id}/assign")
        {
            // A's own user id as the assignee: neither B's group nor a user outside B may be touched.
            ArrangeAsync = async ctx => new ProbeRequest($"/api/alert-groups/{await NewGroupAsync(ctx)}/assign", new { userId = ctx.B.UserId })
            { State = null },
            SnapshotAsync = Snapshot,
        },
        new("POST", "/api/alert-groups/actions")
        {
            ArrangeAsync = async ctx => new ProbeRequest("/api/alert-groups/actions", new { ids = new[] { await NewGroupAsync(ctx) }, action = "resolve" }),
            SnapshotAsync = Snapshot,
            AssertResponseAsync = async response =>
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var result = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results")[0];
                Assert.Equal("notFound", result.GetProperty("outcome").GetString());
            },
        },
    ];

    private static CrossWorkspaceProbe Action(string action, object? body = null) => new("POST", $"/api/alert-groups/{{id}}/{action}")
    {
        ArrangeAsync = Group(id => ($"/api/alert-groups/{id}/{action}", body ?? new { })),
        SnapshotAsync = Snapshot,
    };

    private static Func<ProbeContext, Task<ProbeRequest>> Group(Func<long, (string Path, object? Body)> request) => async ctx =>
    {
        var id = await NewGroupAsync(ctx);
        var (path, body) = request(id);
        return new ProbeRequest(path, body) { State = id };
    };

    private static async Task<long> NewGroupAsync(ProbeContext ctx)
    {
        var integration = await SentryIntegrationApi.CreateAsync(ctx.B);
        return await IssueSender.SendAsync(ctx.B, integration, Random.Shared.NextInt64(1_000_000, 9_000_000_000).ToString(), Guid.NewGuid().ToString("N"));
    }

    // B's inbox as B sees it, with every group's state and timeline length.
    private static async Task<string> Snapshot(ProbeContext ctx, ProbeRequest _)
    {
        var page = await ctx.B.Client.GetFromJsonAsync<JsonElement>("/api/alerts?limit=200");
        var parts = new List<string>();
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            var id = item.GetProperty("id").GetInt64();
            var detail = await ctx.B.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{id}");
            parts.Add($"{item.GetRawText()}|{detail.GetProperty("timeline").GetArrayLength()}");
        }
        return string.Join("\n", parts);
    }
}
