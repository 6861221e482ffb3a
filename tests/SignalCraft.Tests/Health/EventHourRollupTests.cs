using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Health;
using SignalCraft.Tests.Inbox;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Health;

/// <summary>
/// The overview's counts come from hourly rollups for closed hours and from the events for the open edges: the figures
/// must be the same whichever hours are rolled up, and a closed hour, once rolled up, is not scanned again.
/// </summary>
public sealed class EventHourRollupTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Overview_SameFiguresBeforeAndAfterHoursRollUp(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);

        // 09:10 — X ×3, Y ×1; 10:30 — X ×2, Z ×1; 12:05 — Y ×1 (clock starts at 09:00 UTC).
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        foreach (var (issue, id) in new[] { ("810001", "x1"), ("810001", "x2"), ("810001", "x3"), ("810002", "y1") })
        {
            await IssueSender.SendAsync(owner, integration, issue, id);
        }
        app.Clock.Advance(TimeSpan.FromMinutes(80));
        foreach (var (issue, id) in new[] { ("810001", "x4"), ("810001", "x5"), ("810003", "z1") })
        {
            await IssueSender.SendAsync(owner, integration, issue, id);
        }
        app.Clock.Advance(TimeSpan.FromMinutes(95));
        await IssueSender.SendAsync(owner, integration, "810002", "y2");

        // 12:05: the 09:00, 10:00 and 11:00 hours are closed and get rolled up by this read; 12:00 is read live.
        await owner.SignInAgainAsync();
        var first = await OverviewAsync(owner, "24h");
        Assert.Equal((8, 3, 2.67), first);
        var nine = await CountsAsync(app, new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc));
        Assert.Equal(4, nine.Where(c => c.Source != EventHourCount.MarkerSource).Sum(c => c.Events));
        Assert.Single(nine, c => c.Source == EventHourCount.MarkerSource);

        // 13:30: the 12:00 hour is rolled up too; the figures do not move, over 24 hours nor over 7 days.
        app.Clock.Advance(TimeSpan.FromMinutes(85));
        await owner.SignInAgainAsync();
        Assert.Equal((8, 3, 2.67), await OverviewAsync(owner, "24h"));
        Assert.Equal((8, 3, 2.67), await OverviewAsync(owner, "7d"));
        Assert.Equal(1, (await CountsAsync(app, new DateTime(2026, 11, 2, 12, 0, 0, DateTimeKind.Utc)))
            .Where(c => c.Source != EventHourCount.MarkerSource).Sum(c => c.Events));

        // A rolled-up hour is read from its counts, not from the events: removing the 09:00 events behind the app's
        // back leaves the figure as it was (retention removes counts together with their events).
        await app.WithScopeAsync(async sp => await sp.GetRequiredService<SignalCraftDbContext>().Set<AlertEvent>().IgnoreQueryFilters()
            .Where(e => e.SourceEventId == "x1").ExecuteDeleteAsync());
        Assert.Equal(8, (await OverviewAsync(owner, "24h")).Events);
    }

    private static async Task<(int Events, int Groups, double EventsPerGroup)> OverviewAsync(TestUser owner, string range)
    {
        var overview = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/dashboard/overview?range={range}");
        return (overview.GetProperty("events").GetInt32(), overview.GetProperty("groups").GetInt32(),
            overview.GetProperty("eventsPerGroup").GetDouble());
    }

    private static Task<List<EventHourCount>> CountsAsync(SignalCraftApp app, DateTime hour) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<EventHourCount>().IgnoreQueryFilters()
            .Where(c => c.HourStart == hour).ToListAsync());
}
