using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using SignalCraft.Bench.Storm;

namespace SignalCraft.Bench.Faults;

/// <summary>What the emulator shows once delivery has settled: which groups got a message, and which got more than one.</summary>
public sealed record DeliveryOutcome(int GroupsExpected, int GroupsPaged, int Messages, int DuplicatePairs, int MaxPerPair, TimeSpan Waited,
    IReadOnlyList<string> Unpaged, IReadOnlyList<string> DuplicateGroups);

/// <summary>
/// The checks every drill makes from the load generator's record: every accepted alert is in the database (read over
/// the DB connection), every group with an accepted alert has a top-level message in its channel, and no (group,
/// channel) has two (read from the emulator over HTTP).
/// </summary>
public static partial class DeliveryCheck
{
    /// <summary>Accepted alerts missing from alert_events, and rows that no request of the record sent.</summary>
    public static async Task<(int Missing, int Stored, int Unexpected)> StoredAsync(BenchDatabase database, long integrationId, SignedLoad load)
    {
        var stored = await database.StoredEventIdsAsync(integrationId);
        var sent = load.Record.Select(s => s.EventId).ToHashSet(StringComparer.Ordinal);
        return (load.Accepted.Count(s => !stored.Contains(s.EventId)), stored.Count, stored.Count(id => !sent.Contains(id)));
    }

    /// <summary>
    /// Polls the emulator (bounded by <paramref name="limit"/>) until every group of an accepted alert has its message
    /// and nothing new appeared for <paramref name="quiet"/>, so a late duplicate is still seen.
    /// </summary>
    public static async Task<DeliveryOutcome> SettleAsync(SlackEmulatorObserver slack, SignedLoad load, IReadOnlyList<string> channels,
        TimeSpan limit, TimeSpan quiet)
    {
        var expected = load.Accepted.Select(s => (Channel: load.ChannelOf(s.Group), Group: s.Group.ToString())).ToHashSet();
        var watch = Stopwatch.StartNew();
        var quietSince = Stopwatch.StartNew();
        var last = -1;
        IReadOnlyList<Page> pages = [];
        while (watch.Elapsed < limit)
        {
            pages = await slack.PagesAsync(channels);
            if (pages.Count != last)
            {
                last = pages.Count;
                quietSince.Restart();
            }
            var paged = pages.Select(Key).ToHashSet();
            if (expected.All(paged.Contains) && quietSince.Elapsed >= quiet)
            {
                break;
            }
            await Task.Delay(500);
        }
        var pairs = pages.GroupBy(Key).ToDictionary(g => g.Key, g => g.Count());
        var unpaged = expected.Where(e => !pairs.ContainsKey(e)).Select(e => $"g{e.Group} in #{e.Channel}").Order().ToList();
        return new DeliveryOutcome(expected.Count, expected.Count - unpaged.Count, pages.Count, pairs.Count(p => p.Value > 1),
            pairs.Count == 0 ? 0 : pairs.Values.Max(), watch.Elapsed, unpaged, pairs.Where(p => p.Value > 1).Select(p => p.Key.Group).ToList());
    }

    /// <summary>The standard rows and checks of stored and delivered alerts.</summary>
    public static async Task ReportAsync(DrillRig rig, SignedLoad load, IReadOnlyList<string> channels, DrillReport report, TimeSpan limit,
        TimeSpan quiet)
    {
        var accepted = load.Accepted.Count();
        var (missing, stored, unexpected) = await StoredAsync(rig.Database, rig.IntegrationId, load);
        report.Check("accepted (2xx) webhooks stored", $"{accepted - missing} of {accepted}", missing == 0, $"{missing} accepted alerts are not in alert_events");
        report.Check("stored events no request sent", unexpected, unexpected == 0);
        var delivery = await SettleAsync(rig.Slack, load, channels, limit, quiet);
        report.Check("groups with an accepted alert that got a message", $"{delivery.GroupsPaged} of {delivery.GroupsExpected} (settled in {delivery.Waited.TotalSeconds:F0} s)",
            delivery.GroupsPaged == delivery.GroupsExpected, "never paged: " + string.Join(", ", delivery.Unpaged.Take(10)));
        report.Check("(group, channel) pairs with two or more top-level messages", $"{delivery.DuplicatePairs} (max {delivery.MaxPerPair} per pair, {delivery.Messages} messages)",
            delivery.DuplicatePairs == 0);
        if (delivery.DuplicatePairs > 0)
        {
            // What SignalCraft recorded for the duplicated groups, to tell a product bug from a drill artefact.
            foreach (var group in delivery.DuplicateGroups.Take(5))
            {
                report.Fail($"duplicate g{group}: notification_log\n" + string.Join("\n", await DbQuery.RowsAsync(rig.Database,
                    "SELECT g.open_cycle, g.status, l.group_id, l.target_id, l.kind, l.attempt, l.status, l.started_at, l.finished_at, l.message_ref, l.possible_duplicate, l.error, l.job_id " +
                    $"FROM notification_log l JOIN alert_groups g ON g.id = l.group_id WHERE g.title LIKE '%[g{group}]%' ORDER BY l.id")));
            }
        }
        // What SignalCraft holds for a group that was never paged: its send jobs (waiting, discarded, …) and log.
        foreach (var unpaged in delivery.Unpaged.Take(3))
        {
            var group = GroupNumber().Match(unpaged).Groups[1].Value;
            var id = await DbQuery.ScalarAsync(rig.Database, $"SELECT COALESCE(MAX(id), 0) FROM alert_groups WHERE title LIKE '%[g{group}]%'");
            report.Fail($"unpaged g{group}: jobs\n" + string.Join("\n", await DbQuery.RowsAsync(rig.Database,
                "SELECT id, kind, state, attempt, max_attempts, scheduled_at, finalized_at, errors FROM jobs " +
                $"WHERE kind = 'send_notification' AND args LIKE '%\"groupId\":{id},%' ORDER BY id")) +
                "\nnotification_log\n" + string.Join("\n", await DbQuery.RowsAsync(rig.Database,
                "SELECT kind, attempt, status, started_at, finished_at, message_ref, possible_duplicate, error, job_id " +
                $"FROM notification_log WHERE group_id = {id} ORDER BY id")));
        }
    }

    [GeneratedRegex(@"^g(\d+) ")]
    private static partial Regex GroupNumber();

    private static (string Channel, string Group) Key(Page page) =>
        (page.Channel, GroupTag().Match(page.Text) is { Success: true } m ? m.Groups[1].Value : page.Text);

    [GeneratedRegex(@"\[g(\d+)\]")]
    private static partial Regex GroupTag();
}

/// <summary>Single numbers (and, for failure reports, rows) read straight from SignalCraft's database, on both engines.</summary>
public static class DbQuery
{
    public static async Task<List<string>> RowsAsync(BenchDatabase database, string sql)
    {
        var rows = new List<string>();
        await using var connection = database.Provider == "Postgres"
            ? (System.Data.Common.DbConnection)new NpgsqlConnection(database.ConnectionString)
            : new SqliteConnection(database.ConnectionString + ";Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync() && rows.Count < 200)
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i)))));
        }
        return rows;
    }

    public static async Task<long> ScalarAsync(BenchDatabase database, string sql)
    {
        if (database.Provider == "Postgres")
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L);
        }
        await using var sqlite = new SqliteConnection(database.ConnectionString + ";Mode=ReadOnly");
        await sqlite.OpenAsync();
        await using var query = sqlite.CreateCommand();
        query.CommandText = sql;
        var value = await query.ExecuteScalarAsync();
        return value is null or DBNull ? 0 : Convert.ToInt64(value);
    }
}
