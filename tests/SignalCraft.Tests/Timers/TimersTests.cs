using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Grouping;
using SignalCraft.Jobs;
using SignalCraft.Notify;
using SignalCraft.Notify.Webhook;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.Sources.Sentry;
using SignalCraft.Tests.TestHost;
using SignalCraft.Timers;

namespace SignalCraft.Tests.Timers;

public sealed class TimersTests
{
    private sealed record Setup(SignalCraftApp App, TestUser Owner, SentryIntegrationApi.Created Integration, WebhookReceiver Receiver) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Receiver.DisposeAsync();
        }

        public Task<long> SendAsync(string fixture = "event_alert.error.production", string? eventId = null) =>
            SentryIntegrationApi.SendAsync(Owner, Integration, fixture, eventId);

        public Task<List<Job>> JobsAsync(string kind) => App.WithScopeAsync(sp =>
            sp.GetRequiredService<SignalCraftDbContext>().Set<Job>().Where(j => j.Kind == kind).OrderBy(j => j.Id).ToListAsync());

        public Task<AlertGroup> GroupAsync(long id) => App.WithScopeAsync(sp =>
            sp.GetRequiredService<SignalCraftDbContext>().Set<AlertGroup>().AsNoTracking().SingleAsync(g => g.Id == id));

        public async Task ActAsync(long id, string action, object? body = null)
        {
            await Owner.SignInAgainAsync(); // the fake clock moves past token and security-stamp lifetimes
            (await Owner.Client.PostAsJsonAsync($"/api/alert-groups/{id}/{action}", body ?? new { })).EnsureSuccessStatusCode();
        }
    }

    private static async Task<Setup> StartAsync(TestDatabase db, object escalation, IDictionary<string, string?>? extra = null)
    {
        var receiver = await WebhookReceiver.StartAsync();
        var settings = new Dictionary<string, string?> { ["Notify:AllowPrivateTargets"] = "true" };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }
        var app = new SignalCraftApp(db, settings);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        var rule = await owner.Client.PostAsJsonAsync("/api/routing-rules", new
        {
            name = "everything", actions = new { targets = new[] { new { kind = "webhook", url = receiver.Url() } }, escalation },
        });
        await rule.AssertStatusAsync(HttpStatusCode.Created);
        return new Setup(app, owner, integration, receiver);
    }

    private static async Task<List<WebhookReceiver.Received>> Escalations(Setup s, int count)
    {
        try
        {
            return await s.Receiver.WaitForAsync(r => r.Count(x => x.Type == WebhookEventTypes.Escalated) >= count, $"{count} escalation(s)");
        }
        catch (TimeoutException ex)
        {
            // Say where the escalation job stood, so a failure names its cause.
            var dump = await s.JobsAsync(EscalateGroup.Kind);
            throw new TimeoutException(ex.Message + "\n" + string.Join("\n", dump.Select(j =>
                $"{j.Id} {j.UniqueKey} {j.State} due {j.ScheduledAt:O} attempt {j.Attempt} errors {j.Errors}")) + $"\nnow {s.App.Clock.GetUtcNow():O}");
        }
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Escalation_NotAcknowledged_FiresAtNMinutesNotBeforeAndRepeatsUntilAck(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var s = await StartAsync(db, new[] { new { afterMinutes = 15, repeatEveryMinutes = 10 } });
        var id = await s.SendAsync();
        await s.Receiver.WaitForAsync(r => r.Count == 1, "the first notification");

        var step = Assert.Single(await s.JobsAsync(EscalateGroup.Kind));
        Assert.Equal(s.App.Clock.GetUtcNow().UtcDateTime.AddMinutes(15), step.ScheduledAt);
        s.App.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(JobState.Scheduled, Assert.Single(await s.JobsAsync(EscalateGroup.Kind)).State);

        s.App.Clock.Advance(TimeSpan.FromMinutes(1));
        var first = await Escalations(s, 1);
        Assert.Equal(id, first.Last().Json.GetProperty("group").GetProperty("id").GetInt64());
        // The step finishes by arming its repeat; move the clock only then (a job running across a jump is timed out).
        await Eventually.WaitAsync(() => s.JobsAsync(EscalateGroup.Kind), jobs => jobs.Count == 2 && jobs[0].State == JobState.Completed,
            "the first step's completion and its repeat");

        s.App.Clock.Advance(TimeSpan.FromMinutes(10));
        await Escalations(s, 2);
        await s.ActAsync(id, "ack");
        s.App.Clock.Advance(TimeSpan.FromMinutes(10));

        var jobs = await s.JobsAsync(EscalateGroup.Kind);
        Assert.Equal(JobState.Cancelled, jobs.Last().State);
        Assert.Equal(2, s.Receiver.Requests.Count(r => r.Type == WebhookEventTypes.Escalated));
        await s.Owner.SignInAgainAsync();
        var detail = await s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{id}");
        Assert.Equal(2, detail.GetProperty("timeline").EnumerateArray().Count(t => t.GetProperty("kind").GetString() == "escalated"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Escalation_SnoozeMovesItAndReopenEscalatesAgain(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var s = await StartAsync(db, new[] { new { afterMinutes = 15 } });
        var id = await s.SendAsync();
        var due = Assert.Single(await s.JobsAsync(EscalateGroup.Kind)).ScheduledAt;

        await s.ActAsync(id, "snooze", new { minutes = 60 });
        Assert.Equal(due.AddMinutes(60), Assert.Single(await s.JobsAsync(EscalateGroup.Kind)).ScheduledAt);

        await s.ActAsync(id, "resolve");
        Assert.Equal(JobState.Cancelled, Assert.Single(await s.JobsAsync(EscalateGroup.Kind)).State);
        s.App.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(id, await s.SendAsync(eventId: "again"));
        var jobs = await s.JobsAsync(EscalateGroup.Kind);
        Assert.Equal(2, jobs.Count);
        Assert.Equal(JobState.Scheduled, jobs[1].State);
        s.App.Clock.Advance(TimeSpan.FromMinutes(15));
        await Escalations(s, 1);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SnoozeExpiry_WithAndWithoutNewEvents_OpensAndRenotifiesOnlyWithNews(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var s = await StartAsync(db, Array.Empty<object>());
        var id = await s.SendAsync();
        await s.Receiver.WaitForAsync(r => r.Count == 1, "the first notification");

        await s.ActAsync(id, "snooze", new { minutes = 30 });
        s.App.Clock.Advance(TimeSpan.FromMinutes(31));
        await Eventually.WaitAsync(() => s.GroupAsync(id), g => g.Status == GroupStatus.Open, "the quiet snooze's end");

        await s.ActAsync(id, "snooze", new { minutes = 30 });
        s.App.Clock.Advance(TimeSpan.FromMinutes(5));
        await s.SendAsync(eventId: "during-snooze");
        s.App.Clock.Advance(TimeSpan.FromMinutes(26));
        await Eventually.WaitAsync(() => s.GroupAsync(id), g => g.Status == GroupStatus.Open, "the busy snooze's end");
        await Eventually.WaitAsync(() => s.App.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<NotificationLog>()
            .CountAsync(l => l.Kind == NotificationReasons.Renotified && l.Status == NotificationStatus.Sent)), n => n == 1, "the re-notification");

        await s.Owner.SignInAgainAsync();
        var timeline = (await s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{id}")).GetProperty("timeline").EnumerateArray()
            .Select(t => t.GetProperty("text").GetString()!).ToList();
        Assert.Contains("Snooze ended; nothing new meanwhile", timeline);
        Assert.Contains("Snooze ended with new events: notifying again", timeline);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task QuietGroups_AutoCloseEventSourcesAndResolveStaleMetricAlerts(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var s = await StartAsync(db, Array.Empty<object>());
        (await s.Owner.Client.PutAsJsonAsync("/api/workspace/settings", new { autoCloseMinutes = 30 })).EnsureSuccessStatusCode();
        await s.Owner.SignInAgainAsync();
        (await s.Owner.Client.PatchAsJsonAsync($"/api/integrations/{s.Integration.Id}", new { expectedIntervalMinutes = 10 })).EnsureSuccessStatusCode();
        var events = await s.SendAsync();
        var metric = await s.SendAsync("metric_alert.critical");

        s.App.Clock.Advance(TimeSpan.FromMinutes(20));
        await s.SendAsync(eventId: "keeps-it-busy");
        s.App.Clock.Advance(TimeSpan.FromMinutes(11)); // the metric group has been silent 31 min; the event group only 11
        var stale = await Eventually.WaitAsync(() => s.GroupAsync(metric), g => g.Status == GroupStatus.Resolved, "the stale resolve");
        Assert.Equal(Resolution.Stale, stale.Resolution);
        Assert.Equal(GroupStatus.Open, (await s.GroupAsync(events)).Status);

        s.App.Clock.Advance(TimeSpan.FromMinutes(20));
        var closed = await Eventually.WaitAsync(() => s.GroupAsync(events), g => g.Status == GroupStatus.Resolved, "the auto-close");
        Assert.Equal(Resolution.AutoClosed, closed.Resolution);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Retention_RemovesOnlyWhatIsOldAndKeepsGroupsAndTimelines(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var s = await StartAsync(db, Array.Empty<object>());
        var oldGroup = await s.SendAsync();
        s.App.Clock.Advance(TimeSpan.FromDays(60));
        await s.SendAsync("event_alert.warning.staging");
        s.App.Clock.Advance(TimeSpan.FromDays(31));
        var fresh = await s.SendAsync("event_alert.fatal.production");

        await s.App.WithScopeAsync(async sp =>
        {
            var jobs = sp.GetRequiredService<JobClient>();
            var run = new RunRetention(s.App.Clock.GetUtcNow().UtcDateTime);
            await jobs.EnqueueAsync(run, new EnqueueOptions { UniqueKey = run.UniqueKey });
            return await sp.GetRequiredService<SignalCraftDbContext>().SaveChangesAsync();
        });
        var events = await Eventually.WaitAsync(() => s.App.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<AlertEvent>()
            .AsNoTracking().OrderBy(e => e.Id).ToListAsync()), e => e.Count == 2, "the 91-day-old event's removal");

        Assert.Null(events[0].RawPayload);          // 31 days old: payload pruned, event kept
        Assert.NotNull(events[1].RawPayload);       // today's
        Assert.Equal(fresh, events[1].GroupId);
        var group = await s.GroupAsync(oldGroup);   // the group and its timeline outlive its events
        await s.Owner.SignInAgainAsync();
        var timeline = await s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{oldGroup}");
        Assert.Equal(1, group.Count);
        Assert.Contains(timeline.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("kind").GetString() == "opened");
    }
}
