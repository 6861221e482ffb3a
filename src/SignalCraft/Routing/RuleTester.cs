using Microsoft.EntityFrameworkCore;
using SignalCraft.Accounts;
using SignalCraft.Alerts;
using SignalCraft.Data;

namespace SignalCraft.Routing;

/// <summary>The rule test's answer: a result, or why the request cannot be tested (field → message, HTTP status).</summary>
public sealed record RuleTestOutcome(RuleTestResult? Result, string? Field, string? Problem, int Status);

/// <summary>A recent event a person can test the rules against (the rules page's picker).</summary>
public sealed record RecentAlert(long EventId, long? GroupId, string Title, string? Project, string? Environment, Severity? Severity,
    DateTime ReceivedAt);

/// <summary>
/// What the stored rules would do with an alert (a stored event or a sample), without sending anything. The API's
/// <c>POST /api/routing-rules/test</c> and the rules page both ask this one class.
/// </summary>
public sealed class RuleTester(SignalCraftDbContext db, RuleStore store, WorkspaceSettingsStore settingsStore, TimeProvider time)
{
    public async Task<RuleTestOutcome> TestAsync(long workspaceId, RuleTestRequest request, CancellationToken ct)
    {
        var settings = await settingsStore.GetAsync(workspaceId, ct);
        AlertFacts facts;
        if (request.EventId is { } eventId)
        {
            var e = await db.Set<AlertEvent>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == eventId, ct);
            if (e is null)
            {
                return new RuleTestOutcome(null, "eventId", "No event of this workspace has that id.", 404);
            }
            var tags = System.Text.Json.JsonSerializer.Deserialize<List<AlertTag>>(e.Tags, RuleStore.Json) ?? [];
            facts = new AlertFacts(e.Source, e.Project, settings.CanonicalEnvironment(e.Environment), e.Severity ?? Severity.High, tags);
        }
        else
        {
            if (!SeverityNames.TryParse(request.Severity ?? "high", out var severity))
            {
                return new RuleTestOutcome(null, "severity", "Use critical, high, med, low or info.", 400);
            }
            facts = new AlertFacts(request.Source ?? "sentry", request.Project, settings.CanonicalEnvironment(request.Environment), severity,
                (request.Tags ?? []).Select(t => new AlertTag(t.Key, t.Value)).ToList());
        }
        var rules = await store.ListAsync(ct);
        var matched = RuleEvaluator.Match(rules, facts, settings.EnvironmentAliases);
        var now = time.GetUtcNow().UtcDateTime;
        var mute = (await db.Set<Mute>().AsNoTracking().Where(m => m.StartsAt <= now && m.EndsAt > now).ToListAsync(ct))
            .FirstOrDefault(m => RuleEvaluator.Matches(MuteConditions.Parse(m), facts, settings.EnvironmentAliases));
        var defaultTargets = matched.Count == 0
            ? (await db.Set<Notify.NotificationTarget>().AsNoTracking().Where(t => settings.DefaultRoute.TargetIds.Contains(t.Id)).ToListAsync(ct))
                .Select(Notify.TargetRegistry.Describe).ToList()
            : [];
        return new RuleTestOutcome(new RuleTestResult(
            matched.Select(r => new RuleTestMatch(r.Id!.Value, r.Name, r.Actions.Targets, r.Actions.Mention, r.Actions.WaitSeconds)).ToList(),
            matched.Count == 0 && defaultTargets.Count == 0, defaultTargets, mute is null ? null : mute.Comment ?? $"mute #{mute.Id}"), null, null, 200);
    }

    /// <summary>The workspace's latest events, newest first, to test the rules against.</summary>
    public Task<List<RecentAlert>> RecentAsync(int count, CancellationToken ct) =>
        db.Set<AlertEvent>().AsNoTracking().OrderByDescending(e => e.Id).Take(count)
            .Select(e => new RecentAlert(e.Id, e.GroupId, e.Title, e.Project, e.Environment, e.Severity, e.ReceivedAt)).ToListAsync(ct);
}
