using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Health;
using SignalCraft.Tests.Inbox;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.TestHost;
using SignalCraft.Web.Overview;

namespace SignalCraft.Tests.Health;

/// <summary>
/// The Overview's per-hour event counts, grouped in the database on both providers, and the chart built from them:
/// every hour of the range gets a bar, the bars add up to the range's events, hours show in the viewer's zone.
/// </summary>
public sealed class OverviewChartTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EventsPerHour_CountsEachUtcHour_AndTheChartAddsUp(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start(); // the clock reads 2026-11-02 09:00 UTC
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        await IssueSender.SendAsync(owner, integration, "910001", "a1");
        app.Clock.Advance(TimeSpan.FromMinutes(59));
        await IssueSender.SendAsync(owner, integration, "910001", "a2"); // 09:59, same hour
        app.Clock.Advance(TimeSpan.FromMinutes(151));
        await IssueSender.SendAsync(owner, integration, "910002", "b1"); // 12:30
        app.Clock.Advance(TimeSpan.FromHours(1));                         // now 13:30

        var to = app.Clock.GetUtcNow().UtcDateTime;
        var from = to.AddHours(-24);
        var hours = await app.WithScopeAsync(sp => sp.GetRequiredService<OutcomeQueries>().EventsPerHourAsync(from, to, CancellationToken.None));

        Assert.Equal([new HourlyEvents(new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc), 2),
            new HourlyEvents(new DateTime(2026, 11, 2, 12, 0, 0, DateTimeKind.Utc), 1)], hours);

        // 13:30 yesterday to 13:30 today: 25 hourly slots, the first and last partial.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var chart = EventChartModel.Build(hours, from, to, berlin);
        Assert.Equal(25, chart.Bars.Count);
        Assert.Equal(3, chart.Bars.Sum(b => b.Events));
        Assert.Equal((from, "14:00"), (chart.Bars[0].StartUtc, chart.Bars[0].Label)); // 13:00 UTC, partial
        Assert.Equal(2, chart.Bars.Single(b => b.Label == "10:00").Events); // 09:00 UTC is 10:00 in Berlin (CET)
        Assert.Equal(1, chart.Bars.Single(b => b.Label == "13:00").Events);
        Assert.Equal("10:00", chart.Peak!.Label);

        // Seven days: one bar per local day, still adding up.
        var week = EventChartModel.Build(hours, to.AddDays(-7), to, berlin);
        Assert.Equal(("day", 8, 3), (week.Unit, week.Bars.Count, week.Bars.Sum(b => b.Events)));
        Assert.Equal(3, week.Bars[^1].Events);
    }
}
