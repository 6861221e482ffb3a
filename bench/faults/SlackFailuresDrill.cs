using System.Net.Http.Json;
using System.Text.Json;

namespace SignalCraft.Bench.Faults;

/// <summary>
/// Drill 3: Slack fails for two minutes (the smoke run: 15 s) while alerts keep arriving, new groups all along: 429 with
/// Retry-After, 5xx, timeouts after the message was stored, <c>fatal_error</c> (stored too), then <c>token_revoked</c>.
/// Then Slack recovers; an admin does what Delivery Health asks (reconnect Slack, Retry the discarded notifications).
/// Nothing accepted may be lost (every group paged), no (group, channel) posted twice, and after an injected 429 no post
/// to that channel may come before its Retry-After.
/// </summary>
public sealed class SlackFailuresDrill(DrillContext context)
{
    private const int RetryAfterSeconds = 5;

    private static readonly (string Name, object Rule)[] Phases =
    [
        ("429 + Retry-After", new { method = "chat.postMessage", kind = "ratelimited", retryAfter = RetryAfterSeconds }),
        ("HTTP 503", new { method = "chat.postMessage", kind = "http_error", status = 503 }),
        ("timeout after storing", new { method = "chat.postMessage", kind = "timeout", hangSeconds = 3, apply = true }),
        ("fatal_error (stored)", new { method = "chat.postMessage", kind = "fatal_error" }),
        ("token_revoked", new { method = "*", kind = "token_revoked" }),
    ];

    public async Task RunAsync()
    {
        var smoke = context.Smoke;
        var (before, window, after) = smoke
            ? (TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(4))
            : (TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(20));
        var (rate, alertsPerGroup, channelCount, connections) = smoke ? (4, 3, 4, 4) : (10, 8, 10, 8);
        var duration = before + window + after;
        var alerts = (int)(rate * duration.TotalSeconds);
        var groups = alerts / alertsPerGroup;
        var channels = Enumerable.Range(0, channelCount).Select(i => $"slack-{i:00}").ToList();
        var report = context.Report;
        await using var database = await context.OpenDatabaseAsync(context.Options.Db == "postgres");
        await using var rig = await DrillRig.StartAsync(context, database, channels, DrillRig.ShortLeases());
        // The workspace's fallback: a webhook served here (another failure domain than Slack), told about high and
        // critical groups whose Slack post fails.
        await using var fallback = await Storm.WebhookSink.StartAsync();
        await Storm.SignalCraftInstance.Expect(await rig.App.Api.PutAsJsonAsync("api/workspace/settings",
            new { fallback = fallback.Target("fallback") }), "set the fallback target");
        report.Row("setup", $"{alerts} alerts at {rate}/s, a new group every {alertsPerGroup} alerts ({groups} groups), {channelCount} channels; " +
            $"Slack fails for {window.TotalSeconds:0} s in {Phases.Length} phases: {string.Join(", ", Phases.Select(p => p.Name))}");

        var load = new SignedLoad(context.Bodies, channels);
        var url = rig.WebhookUrlAt(rig.App.Url);
        // Groups open one after another, so every phase has first posts to make.
        var storm = load.RunAsync(() => url, alerts, duration, groups, connections, duration * 2 + TimeSpan.FromSeconds(30),
            groupOf: i => (int)(i / alertsPerGroup), critical: Critical);
        var phaseLength = window / Phases.Length;
        var windows = new List<(string Name, DateTimeOffset From, DateTimeOffset To)>();
        for (var p = 0; p < Phases.Length; p++)
        {
            await UntilAsync(load, before + phaseLength * p, storm);
            await rig.Control.DeleteAsync("_emulator/failures");
            var (name, rule) = Phases[p];
            var json = JsonSerializer.SerializeToElement(rule);
            var body = JsonSerializer.Deserialize<Dictionary<string, object>>(json.GetRawText())!;
            // Every matching call fails for the phase (in emulator-clock seconds, which run in real time here).
            body["durationSeconds"] = (int)Math.Ceiling(phaseLength.TotalSeconds);
            await Storm.SignalCraftInstance.Expect(await rig.Control.PostAsJsonAsync("_emulator/failures", body), $"inject {name}");
            windows.Add((name, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow + phaseLength));
            DrillContext.Say($"Slack fails: {name}");
        }
        await UntilAsync(load, before + window, storm);
        await rig.Control.DeleteAsync("_emulator/failures");
        var recoveredAt = DateTimeOffset.UtcNow;
        DrillContext.Say("Slack recovered; reconnecting Slack and retrying the discarded notifications, as Delivery Health asks");
        await rig.Slack.ConnectAsync(rig.App);
        var retried = await RetryDiscardedAsync(rig);
        await storm;
        // The last retried ones may have been discarded just before the reconnect; retry once more after the storm.
        retried += await RetryDiscardedAsync(rig);

        var accepted = load.AcceptedCount;
        report.Row("webhooks sent / 2xx / other answers", $"{load.Record.Count} / {accepted} / {SignedLoad.Describe(load.Record.Where(s => !s.Accepted))}");
        report.Check("webhooks accepted while Slack failed (ingest does not depend on Slack)", accepted, accepted == load.Record.Count);
        var calls = await rig.Control.GetFromJsonAsync<JsonElement>("_emulator/calls");
        foreach (var (name, from, to) in windows)
        {
            var inPhase = calls.EnumerateArray().Where(c => c.GetProperty("time").GetDateTimeOffset() is var t && t >= from && t < to).ToList();
            report.Row($"Slack calls during '{name}'", Describe(inPhase));
        }
        report.Row("notifications retried by the admin after the reconnect", retried);
        var early = EarlyAfterRetryAfter(calls);
        report.Check($"posts to a channel sooner than the injected Retry-After ({RetryAfterSeconds} s) after its 429", early.Count, early.Count == 0,
            string.Join("; ", early.Take(5)));
        await DeliveryCheck.ReportAsync(rig, load, channels, report, smoke ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(330),
            TimeSpan.FromSeconds(smoke ? 2 : 5));
        report.Row("backlog drained (last group paged) after Slack recovered", $"{(DateTimeOffset.UtcNow - recoveredAt).TotalSeconds:F0} s or less");
        // The history checks that settle ambiguous posts, and the critical pages that went out without one (DESIGN allows
        // one per message, marked possible duplicate, when Slack rate-limits the check).
        var history = (await rig.Control.GetFromJsonAsync<JsonElement>("_emulator/calls")).EnumerateArray()
            .Where(c => c.GetProperty("method").GetString() == "conversations.history").ToList();
        var uncheckedPosts = await DbQuery.ScalarAsync(rig.Database, "SELECT COUNT(*) FROM notification_log WHERE possible_duplicate");
        report.Row("history checks (all) / answered 429 / posts sent unchecked (possible duplicate)",
            $"{history.Count} / {history.Count(c => c.GetProperty("httpStatus").GetInt32() == 429)} / {uncheckedPosts}");
        await FallbackReportAsync(rig, load, channels, fallback, windows[0].From.UtcDateTime, windows[^1].To.UtcDateTime, report);
        report.Check("SignalCraft alive at the end", rig.App.Process.HasExited ? "exited" : "running", !rig.App.Process.HasExited, rig.App.Process.Tail());
    }

    /// <summary>Every third group is critical (the fatal fixture).</summary>
    private static bool Critical(int group) => group % 3 == 0;

    /// <summary>
    /// Critical groups first accepted while Slack failed must be paged within the delivery SLO (60 s by default):
    /// in Slack if it took the post, else at the fallback.
    /// </summary>
    private static async Task FallbackReportAsync(DrillRig rig, SignedLoad load, IReadOnlyList<string> channels, Storm.WebhookSink fallback,
        DateTime from, DateTime to, DrillReport report)
    {
        var slo = TimeSpan.FromSeconds(60);
        var firstAccepted = load.Accepted.Where(s => Critical(s.Group)).GroupBy(s => s.Group).ToDictionary(g => g.Key, g => g.Min(s => s.SentAtUtc));
        var inWindow = firstAccepted.Where(f => f.Value >= from && f.Value < to).ToList();
        var slack = (await rig.Slack.PagesAsync(channels)).ToList();
        var atFallback = await fallback.PagesAsync(["fallback"]);
        DateTime? First(IEnumerable<Storm.Page> pages, int group) =>
            pages.Where(p => p.Text.Contains($"[g{group}]", StringComparison.Ordinal)).Select(p => (DateTime?)p.PostedAt).Min();
        var late = new List<string>();
        var viaFallback = 0;
        foreach (var (group, acceptedAt) in inWindow)
        {
            var primary = First(slack, group);
            var other = First(atFallback, group);
            viaFallback += other is not null ? 1 : 0;
            var paged = new[] { primary, other }.Where(t => t is not null).Min();
            if (paged is null || paged.Value - acceptedAt > slo)
            {
                late.Add($"g{group}: accepted {acceptedAt:HH:mm:ss}, Slack {primary:HH:mm:ss}, fallback {other:HH:mm:ss}");
            }
        }
        report.Row("critical groups opened while Slack failed / told at the fallback", $"{inWindow.Count} / {viaFallback}");
        report.Check($"critical groups opened while Slack failed and not paged within {slo.TotalSeconds:0} s (Slack or fallback)", late.Count,
            inWindow.Count > 0 && late.Count == 0, string.Join("; ", late.Take(5)));
    }

    private static async Task UntilAsync(SignedLoad load, TimeSpan at, Task storm)
    {
        while (load.Clock.Elapsed < at && !storm.IsCompleted)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>"chat.postMessage 429×12, conversations.history 200×3": the emulator's call log over one phase.</summary>
    private static string Describe(List<JsonElement> calls) =>
        calls.Count == 0 ? "none" : string.Join(", ", calls
            .GroupBy(c => $"{c.GetProperty("method").GetString()} {c.GetProperty("httpStatus").GetInt32()}{(c.GetProperty("ok").ValueKind == JsonValueKind.True ? "" : " " + Outcome(c))}")
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}"));

    private static string Outcome(JsonElement call) =>
        call.TryGetProperty("outcome", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : "";

    /// <summary>Posts to a channel that came sooner than the Retry-After of an injected 429 on that channel.</summary>
    private static List<string> EarlyAfterRetryAfter(JsonElement calls)
    {
        var posts = calls.EnumerateArray().Where(c => c.GetProperty("method").GetString() == "chat.postMessage")
            .Select(c => (Channel: c.GetProperty("channel").GetString() ?? "", Time: c.GetProperty("time").GetDateTimeOffset(),
                Status: c.GetProperty("httpStatus").GetInt32(), Injected: c.TryGetProperty("injected", out var i) && i.ValueKind == JsonValueKind.True))
            .OrderBy(c => c.Time).ToList();
        var early = new List<string>();
        foreach (var limited in posts.Where(p => p.Status == 429 && p.Injected))
        {
            var next = posts.FirstOrDefault(p => p.Channel == limited.Channel && p.Time > limited.Time);
            // 100 ms of slack for the two clocks' rounding.
            if (next.Channel is not null && next.Time - limited.Time < TimeSpan.FromSeconds(RetryAfterSeconds) - TimeSpan.FromMilliseconds(100))
            {
                early.Add($"{limited.Channel}: 429 at {limited.Time:HH:mm:ss.fff}, next post at {next.Time:HH:mm:ss.fff}");
            }
        }
        return early;
    }

    /// <summary>Posts every <c>retryUrl</c> that Delivery Health lists; answers how many were taken up again.</summary>
    private static async Task<int> RetryDiscardedAsync(DrillRig rig)
    {
        var health = await rig.App.Api.GetFromJsonAsync<JsonElement>("api/health/delivery");
        var urls = new List<string>();
        Collect(health, urls);
        var retried = 0;
        foreach (var url in urls.Distinct())
        {
            using var response = await rig.App.Api.PostAsync(url.TrimStart('/'), null);
            retried += response.IsSuccessStatusCode ? 1 : 0;
        }
        return retried;
    }

    private static void Collect(JsonElement element, List<string> urls)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "retryUrl" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        urls.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, urls);
                    }
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, urls);
                }
                break;
        }
    }
}
