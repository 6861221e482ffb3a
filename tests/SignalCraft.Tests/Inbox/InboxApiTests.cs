using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Tests.Grouping;
using SignalCraft.Tests.Integrations;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Inbox;

public sealed class InboxApiTests
{
    private static readonly string[] Fixtures =
    [
        "event_alert.error.production", "event_alert.fatal.production", "event_alert.warning.staging",
        "event_alert.info.production.wire-compact", "event_alert.error.no-environment.docs-sample", "metric_alert.critical",
    ];

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ListAlerts_EveryFilter_NarrowsToTheMatchingGroups(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        foreach (var fixture in Fixtures)
        {
            await SentryIntegrationApi.SendAsync(owner, integration, fixture);
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        async Task<List<string>> Titles(string query)
        {
            var page = await owner.Client.GetFromJsonAsync<JsonElement>("/api/alerts" + query);
            return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToList();
        }

        var all = await Titles("");
        Assert.Equal(6, all.Count);
        Assert.StartsWith("Critical:", all[0]); // newest activity first
        Assert.Equal(4, (await Titles("?env=prod")).Count);
        Assert.Single(await Titles("?env=staging"));
        Assert.Equal(2, (await Titles("?severity=critical")).Count);
        Assert.Equal(4, (await Titles("?minSeverity=high")).Count);
        Assert.Equal(2, (await Titles("?project=web-storefront")).Count);
        Assert.Single(await Titles("?tag=transaction:/checkout/payment"));
        Assert.Single(await Titles("?q=referenceerror"));
        Assert.Single(await Titles("?source=sentry&severity=med&env=staging"));
        Assert.Empty(await Titles("?status=resolved"));
        var bad = await owner.Client.GetAsync("/api/alerts?minSeverity=urgent&limit=0");
        var errors = await bad.AssertValidationProblemAsync();
        Assert.True(errors.TryGetProperty("minSeverity", out _) && errors.TryGetProperty("limit", out _));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ListAlerts_PagingWhileGroupsMove_NeverSkipsAGroup(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        var issueOf = new Dictionary<long, string>();
        for (var i = 0; i < 12; i++)
        {
            var issue = (7_000_000_000L + i).ToString();
            issueOf[await IssueSender.SendAsync(owner, integration, issue, $"first{i}")] = issue;
            app.Clock.Advance(TimeSpan.FromSeconds(30));
        }
        var groupIds = issueOf.Keys.ToList();
        Assert.Equal(12, groupIds.Distinct().Count());

        var seen = new HashSet<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/alerts?limit=3{(cursor is null ? "" : "&cursor=" + cursor)}");
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                seen.Add(item.GetProperty("id").GetInt64());
            }
            cursor = page.GetProperty("nextCursor").GetString();
            // Meanwhile the oldest group not seen yet gets a new event and jumps to the top of the list.
            var unseen = groupIds.Where(g => !seen.Contains(g)).ToList();
            if (unseen.Count > 0)
            {
                app.Clock.Advance(TimeSpan.FromSeconds(30));
                Assert.Equal(unseen[0], await IssueSender.SendAsync(owner, integration, issueOf[unseen[0]], $"move{pages}"));
            }
            pages++;
        }
        while (cursor is not null && pages < 20);

        Assert.Subset(seen, groupIds.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Actions_EachAction_ChangesStatusAndTimeline(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var member = await owner.InviteAndJoinAsync(WorkspaceRole.Member);
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        var id = await SentryIntegrationApi.SendAsync(owner, integration);

        async Task<JsonElement> Act(TestUser user, string action, object? body = null)
        {
            var response = await user.Client.PostAsJsonAsync($"/api/alert-groups/{id}/{action}", body ?? new { });
            await response.AssertStatusAsync(HttpStatusCode.OK);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        Assert.Equal("acknowledged", (await Act(member, "ack")).GetProperty("status").GetString());
        Assert.Equal("open", (await Act(member, "unack")).GetProperty("status").GetString());
        var snoozed = await Act(member, "snooze", new { minutes = 60 });
        Assert.Equal(("snoozed", app.Clock.GetUtcNow().UtcDateTime.AddHours(1)), (snoozed.GetProperty("status").GetString(), snoozed.GetProperty("snoozedUntil").GetDateTime()));
        Assert.Equal("open", (await Act(member, "unsnooze")).GetProperty("status").GetString());
        Assert.Equal(member.UserId, (await Act(owner, "assign", new { userId = member.UserId })).GetProperty("assignee").GetProperty("userId").GetString());
        await Act(member, "notes", new { text = "Rolled back deploy 4512" });
        Assert.Equal("critical", (await Act(owner, "severity", new { severity = "critical" })).GetProperty("severity").GetString());
        var resolved = await Act(member, "resolve");
        Assert.Equal(("resolved", "manual"), (resolved.GetProperty("status").GetString(), resolved.GetProperty("resolution").GetString()));
        Assert.Equal("open", (await Act(member, "reopen")).GetProperty("status").GetString());

        var detail = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{id}");
        var kinds = detail.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("kind").GetString()).ToList();
        foreach (var kind in new[] { "opened", "acknowledged", "unacknowledged", "snoozed", "unsnoozed", "assigned", "note", "severity", "resolved", "reopened", "event" })
        {
            Assert.Contains(kind, kinds);
        }
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("text").GetString() == "Rolled back deploy 4512"
            && t.GetProperty("actor").GetString()!.Contains("member", StringComparison.Ordinal));
        Assert.Equal("critical", detail.GetProperty("manualSeverity").GetString());
        Assert.NotEmpty(detail.GetProperty("events").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BulkAck_ThreeGroups_AllAcknowledgedAndUnknownIdReportedNotFound(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        var ids = new List<long>();
        foreach (var fixture in Fixtures.Take(3))
        {
            ids.Add(await SentryIntegrationApi.SendAsync(owner, integration, fixture));
        }

        var response = await owner.Client.PostAsJsonAsync("/api/alert-groups/actions", new { ids = ids.Append(999_999), action = "ack" });
        await response.AssertStatusAsync(HttpStatusCode.OK);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();

        Assert.Equal(3, results.Count(r => r.GetProperty("outcome").GetString() == "ok"));
        Assert.Single(results, r => r.GetProperty("outcome").GetString() == "notFound");
        var page = await owner.Client.GetFromJsonAsync<JsonElement>("/api/alerts?status=acknowledged");
        Assert.Equal(3, page.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Reopen_WhileNewerOpenGroupExists_Answers409NamingIt(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        var first = await SentryIntegrationApi.SendAsync(owner, integration);
        await owner.Client.PostAsJsonAsync($"/api/alert-groups/{first}/resolve", new { });
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await owner.SignInAgainAsync();
        var second = await SentryIntegrationApi.SendAsync(owner, integration, eventId: "feedbeef");

        var response = await owner.Client.PostAsJsonAsync($"/api/alert-groups/{first}/reopen", new { });

        Assert.NotEqual(first, second);
        Assert.Contains($"#{second}", await response.AssertProblemAsync(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Overview_AfterTraffic_CountsEventsGroupsAndLastWebhook()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        for (var i = 0; i < 4; i++)
        {
            await SentryIntegrationApi.SendAsync(owner, integration, eventId: $"e{i}");
        }
        await SentryIntegrationApi.SendAsync(owner, integration, "event_alert.warning.staging");
        await app.Services.GetRequiredService<SignalCraft.Integrations.WebhookCounters>().FlushAsync(CancellationToken.None);

        var overview = await owner.Client.GetFromJsonAsync<JsonElement>("/api/dashboard/overview?range=24h");

        Assert.Equal(5, overview.GetProperty("events").GetInt32());
        Assert.Equal(2, overview.GetProperty("groups").GetInt32());
        Assert.Equal(2.5, overview.GetProperty("eventsPerGroup").GetDouble());
        var top = overview.GetProperty("topNoisySources")[0];
        Assert.Equal(("web-storefront", 4, 1), (top.GetProperty("project").GetString(), top.GetProperty("events").GetInt32(), top.GetProperty("groups").GetInt32()));
        Assert.Equal(JsonValueKind.String, overview.GetProperty("integrations")[0].GetProperty("lastWebhookAt").ValueKind);
    }
}
