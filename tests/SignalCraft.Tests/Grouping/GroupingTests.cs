using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Tests.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Grouping;

public sealed class GroupingTests
{
    private static readonly string[] NoisyIssues =
    [
        "event_alert.error.production", "event_alert.fatal.production", "event_alert.warning.staging",
        "event_alert.info.production.wire-compact", "event_alert.error.no-environment.docs-sample",
    ];

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Ingest_HundredNoisyAlertsConcurrently_EndAsFiveGroupsWithRightCounts(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);

        // 100 deliveries over 5 issues: 18 distinct events each, plus 10 redeliveries of earlier ones.
        var deliveries = new List<(string Issue, FixtureRequest Request)>();
        for (var i = 0; i < 90; i++)
        {
            var issue = NoisyIssues[i % 5];
            deliveries.Add((issue, NoisyAlerts.WithEventId(SentryFixture.Load(issue), NoisyAlerts.NewEventId(i))));
        }
        deliveries.AddRange(deliveries.Take(10).ToList());

        var responses = new List<HttpResponseMessage>();
        foreach (var batch in deliveries.Chunk(20))
        {
            responses.AddRange(await Task.WhenAll(batch.Select(d => SentryWebhookClient.PostAsync(client, integration.Url, d.Request, app))));
            app.Clock.Advance(TimeSpan.FromMinutes(7)); // spread over time, without reaching a spike
        }

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        Assert.Equal(90, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        var groups = await Groups(app);
        Assert.Equal(5, groups.Count);
        Assert.All(groups, g => Assert.Equal(18, g.Count));
        Assert.All(groups, g => Assert.Equal(GroupStatus.Open, g.Status));
        Assert.Equal(["", "production", "production", "production", "staging"], groups.Select(g => g.EnvironmentKey).Order());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Ingest_SameIssueInProductionAndStaging_TwoGroups(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);
        var production = SentryFixture.Load("event_alert.error.production");
        var stagingBody = System.Text.Encoding.UTF8.GetString(production.Body).Replace("\"production\"", "\"staging\"", StringComparison.Ordinal);
        var staging = NoisyAlerts.WithEventId(production with { Body = System.Text.Encoding.UTF8.GetBytes(stagingBody) }, NoisyAlerts.NewEventId(1));

        await SentryWebhookClient.PostAsync(client, integration.Url, production, app);
        await SentryWebhookClient.PostAsync(client, integration.Url, staging, app);

        var groups = await Groups(app);
        Assert.Equal(2, groups.Count);
        Assert.Equal(["production", "staging"], groups.Select(g => g.EnvironmentKey).Order());
        Assert.All(groups, g => Assert.Equal("issue:6123987451", g.Identity));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Ingest_TwentyConcurrentFirstEventsWithoutEnvironment_OneGroup(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);
        var fixture = SentryFixture.Load("event_alert.error.no-environment.docs-sample");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            SentryWebhookClient.PostAsync(client, integration.Url, NoisyAlerts.WithEventId(fixture, NoisyAlerts.NewEventId(i)), app)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var group = Assert.Single(await Groups(app));
        Assert.Equal(20, group.Count);
        Assert.Equal("", group.EnvironmentKey);
        Assert.Null(group.Environment);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Ingest_EventThenIssueResolved_ResolvesTheGroupWithoutCounting(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);

        await SentryWebhookClient.PostAsync(client, integration.Url, SentryFixture.Load("event_alert.error.production"), app);
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var resolved = await SentryWebhookClient.PostAsync(client, integration.Url, SentryFixture.Load("issue.resolved"), app);

        Assert.Equal(HttpStatusCode.Accepted, resolved.StatusCode);
        var group = Assert.Single(await Groups(app));
        Assert.Equal((GroupStatus.Resolved, Resolution.Source, 1), (group.Status, group.Resolution, group.Count));
        var timeline = await Timeline(app, group.Id);
        Assert.Contains(timeline, t => t.Kind == TimelineKinds.Resolved && t.Text.Contains("Dana Whitfield"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Ingest_MetricWarningCriticalResolved_OneIncidentEscalatesThenResolves(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);

        await SentryWebhookClient.PostAsync(client, integration.Url, SentryFixture.Load("metric_alert.warning"), app);
        var afterWarning = Assert.Single(await Groups(app));
        Assert.Equal(Severity.Med, afterWarning.Severity);

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await SentryWebhookClient.PostAsync(client, integration.Url, SentryFixture.Load("metric_alert.critical"), app);
        var afterCritical = Assert.Single(await Groups(app));
        Assert.Equal(Severity.Critical, afterCritical.Severity);
        Assert.StartsWith("Critical:", afterCritical.Title);

        app.Clock.Advance(TimeSpan.FromMinutes(30));
        await SentryWebhookClient.PostAsync(client, integration.Url, SentryFixture.Load("metric_alert.resolved"), app);
        var afterResolved = Assert.Single(await Groups(app));
        Assert.Equal((GroupStatus.Resolved, "metric:31337", 2), (afterResolved.Status, afterResolved.Identity, afterResolved.Count));
        Assert.Contains(await Timeline(app, afterResolved.Id), t => t.Kind == TimelineKinds.Severity && t.Text.Contains("to critical"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Ingest_ErrorCreatedAndIssueCreated_JoinOneGroupCountingOnlyTheOccurrence(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);

        await SentryWebhookClient.PostAsync(client, integration.Url, SentryFixture.Load("issue.created.docs-sample"), app);
        await SentryWebhookClient.PostAsync(client, integration.Url, SentryFixture.Load("error.created.docs-sample"), app);

        var group = Assert.Single(await Groups(app));
        Assert.Equal(("issue:1170820242", 1), (group.Identity, group.Count));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Ingest_AfterResolve_ReopensWithinWindowAndOpensNewAfterIt(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);
        var fixture = SentryFixture.Load("event_alert.error.production");

        await SentryWebhookClient.PostAsync(client, integration.Url, fixture, app);
        await SentryWebhookClient.PostAsync(client, integration.Url, SentryFixture.Load("issue.resolved"), app);
        app.Clock.Advance(TimeSpan.FromMinutes(59));
        await SentryWebhookClient.PostAsync(client, integration.Url, NoisyAlerts.WithEventId(fixture, NoisyAlerts.NewEventId(1)), app);

        var reopened = Assert.Single(await Groups(app));
        Assert.Equal((GroupStatus.Open, 2, 2, 1), (reopened.Status, reopened.OpenCycle, reopened.Count, reopened.ReopenCount));

        await SentryWebhookClient.PostAsync(client, integration.Url, SentryFixture.Load("issue.resolved") with
        {
            Headers = new Dictionary<string, string>(SentryFixture.Load("issue.resolved").Headers.ToDictionary(), StringComparer.OrdinalIgnoreCase) { ["Request-ID"] = "second-resolve" },
        }, app);
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await SentryWebhookClient.PostAsync(client, integration.Url, NoisyAlerts.WithEventId(fixture, NoisyAlerts.NewEventId(2)), app);

        var groups = await Groups(app);
        Assert.Equal(2, groups.Count);
        Assert.Equal(GroupStatus.Resolved, groups[0].Status);
        Assert.Equal((GroupStatus.Open, 1), (groups[1].Status, groups[1].Count));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Ingest_ThreeQuickReopens_MarkFlapping(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);
        var fixture = SentryFixture.Load("metric_alert.critical");
        var resolve = SentryFixture.Load("metric_alert.resolved");

        await SentryWebhookClient.PostAsync(client, integration.Url, fixture, app);
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(5));
            await SentryWebhookClient.PostAsync(client, integration.Url, WithRequestId(resolve, $"resolve-{i}"), app);
            app.Clock.Advance(TimeSpan.FromMinutes(5));
            await SentryWebhookClient.PostAsync(client, integration.Url, WithRequestId(fixture, $"fire-{i}"), app);
        }

        var group = Assert.Single(await Groups(app));
        Assert.True(group.Flapping);
        Assert.Equal(3, group.ReopenCount);
        Assert.Contains(await Timeline(app, group.Id), t => t.Kind == TimelineKinds.Flapping);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Ingest_ProductionSpike_BumpsSeverityOnceWithReason(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);
        var fixture = SentryFixture.Load("event_alert.error.production");

        for (var i = 0; i < GroupingRules.SpikeThreshold + 5; i++)
        {
            await SentryWebhookClient.PostAsync(client, integration.Url, NoisyAlerts.WithEventId(fixture, NoisyAlerts.NewEventId(i)), app);
            app.Clock.Advance(TimeSpan.FromSeconds(5));
        }

        var group = Assert.Single(await Groups(app));
        Assert.Equal(Severity.Critical, group.Severity);
        Assert.Single(await Timeline(app, group.Id), t => t.Kind == TimelineKinds.Severity && t.Text.Contains("events within 5 minutes"));
    }

    private static FixtureRequest WithRequestId(FixtureRequest fixture, string requestId) => fixture with
    {
        Headers = new Dictionary<string, string>(fixture.Headers.ToDictionary(), StringComparer.OrdinalIgnoreCase) { ["Request-ID"] = requestId },
    };

    private static Task<List<AlertGroup>> Groups(SignalCraftApp app) => app.WithScopeAsync(sp =>
        sp.GetRequiredService<SignalCraftDbContext>().Set<AlertGroup>().OrderBy(g => g.Id).ToListAsync());

    private static Task<List<TimelineEntry>> Timeline(SignalCraftApp app, long groupId) => app.WithScopeAsync(sp =>
        sp.GetRequiredService<SignalCraftDbContext>().Set<TimelineEntry>().Where(t => t.GroupId == groupId).OrderBy(t => t.Id).ToListAsync());
}
