using Microsoft.Extensions.Time.Testing;
using SignalCraft.Alerts;
using SignalCraft.Grouping;

namespace SignalCraft.Tests.Grouping;

public sealed class GroupingRulesTests
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase) { ["prod"] = "production" };

    [Theory]
    [InlineData("production", "production")]
    [InlineData("prod", "production")]
    [InlineData("PROD", "production")]
    [InlineData("Staging", "staging")]
    [InlineData(null, "")]
    [InlineData("  ", "")]
    public void EnvironmentKey_AppliesAliasesAndEmptyForNone(string? environment, string expected) =>
        Assert.Equal(expected, GroupingRules.EnvironmentKey(environment, Aliases));

    [Fact]
    public void ReopensResolvedGroup_AtTheWindowEdge_ReopensThenOpensNew()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        var resolvedAt = clock.GetUtcNow().UtcDateTime;
        var window = TimeSpan.FromMinutes(60);

        clock.Advance(TimeSpan.FromMinutes(60));
        Assert.True(GroupingRules.ReopensResolvedGroup(resolvedAt, clock.GetUtcNow().UtcDateTime, window));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(GroupingRules.ReopensResolvedGroup(resolvedAt, clock.GetUtcNow().UtcDateTime, window));
    }

    [Fact]
    public void AfterReopen_ThirdReopenWithinAnHour_IsFlappingAndCalmsAfterQuietHour()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        var recent = "[]";
        bool flapping;
        (flapping, recent) = GroupingRules.AfterReopen(recent, clock.GetUtcNow().UtcDateTime);
        Assert.False(flapping);
        clock.Advance(TimeSpan.FromMinutes(20));
        (flapping, recent) = GroupingRules.AfterReopen(recent, clock.GetUtcNow().UtcDateTime);
        Assert.False(flapping);
        clock.Advance(TimeSpan.FromMinutes(20));
        (flapping, recent) = GroupingRules.AfterReopen(recent, clock.GetUtcNow().UtcDateTime);
        Assert.True(flapping);

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.False(GroupingRules.FlappingHasCalmed(recent, clock.GetUtcNow().UtcDateTime));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(GroupingRules.FlappingHasCalmed(recent, clock.GetUtcNow().UtcDateTime));
    }

    [Fact]
    public void AfterReopen_ReopensSpreadOverHours_NeverFlapping()
    {
        var now = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        var recent = "[]";
        for (var i = 0; i < 5; i++)
        {
            (var flapping, recent) = GroupingRules.AfterReopen(recent, now.AddMinutes(61 * i));
            Assert.False(flapping);
        }
    }

    [Fact]
    public void SpikeWindow_TwentyInFiveMinutesInProduction_BumpsOnceOnly()
    {
        var start = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        var (windowStart, count) = (start, 1);
        for (var i = 1; i < GroupingRules.SpikeThreshold; i++)
        {
            Assert.False(GroupingRules.ShouldBumpForSpike("production", count, alreadyBumped: false));
            (windowStart, count) = GroupingRules.AfterOccurrence(windowStart, count, start.AddSeconds(10 * i));
        }
        Assert.True(GroupingRules.ShouldBumpForSpike("production", count, alreadyBumped: false));
        Assert.False(GroupingRules.ShouldBumpForSpike("production", count, alreadyBumped: true));
        Assert.False(GroupingRules.ShouldBumpForSpike("staging", count, alreadyBumped: false));
    }

    [Fact]
    public void AfterOccurrence_AfterTheWindow_StartsCountingAgain()
    {
        var start = new DateTime(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
        var (windowStart, count) = GroupingRules.AfterOccurrence(start, 19, start.AddMinutes(5));
        Assert.Equal((start.AddMinutes(5), 1), (windowStart, count));
    }

    [Fact]
    public void Effective_ManualOverride_WinsOverSource()
    {
        Assert.Equal(Severity.Low, GroupingRules.Effective(Severity.Critical, Severity.Low));
        Assert.Equal(Severity.Critical, GroupingRules.Effective(Severity.Critical, null));
    }

    [Theory]
    [InlineData(Severity.Info, Severity.Low)]
    [InlineData(Severity.High, Severity.Critical)]
    [InlineData(Severity.Critical, Severity.Critical)]
    public void Raised_OneLevelSaturatingAtCritical(Severity from, Severity expected) => Assert.Equal(expected, from.Raised());
}
