using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using SignalCraft.Bench.Storm;

namespace SignalCraft.Bench.Scale;

/// <summary>
/// Fills a stopped SignalCraft's database with groups, events and group tags in a few INSERT … SELECT statements, each
/// row a copy of a real ingested template (so every column the app needs is set as ingest sets it) with the columns a
/// query filters on varied: workspace, environment, project, severity, status, times over the last week, title.
/// </summary>
public sealed class BulkLoader(BenchDatabase database)
{
    public sealed record Workspace(long Id, long IntegrationId);

    /// <summary>Loads <paramref name="groups"/> groups of <paramref name="eventsPerGroup"/> events each, spread over the workspaces.</summary>
    public async Task LoadAsync(IReadOnlyList<Workspace> workspaces, int groups, int eventsPerGroup, DateTime now)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        var pg = database.Provider == "Postgres";
        var template = await ScalarAsync(connection, "SELECT MIN(id) FROM alert_groups");
        var templateEvent = await ScalarAsync(connection, $"SELECT MIN(id) FROM alert_events WHERE group_id = {template}");
        var ws = string.Join(" ", workspaces.Select((w, i) => $"WHEN {i} THEN {w.Id}"));
        var integ = string.Join(" ", workspaces.Select((w, i) => $"WHEN {i} THEN {w.IntegrationId}"));
        var n = workspaces.Count;
        string Minutes(string column, string minutes) => pg
            ? $"({column} - make_interval(mins => ({minutes})::int))"
            : $"strftime('%Y-%m-%d %H:%M:%S', {column}, '-' || ({minutes}) || ' minutes')";
        const string nowSql = "@now";

        var groupOverrides = new Dictionary<string, string>
        {
            ["workspace_id"] = $"CASE s.i % {n} {ws} END",
            ["integration_id"] = $"CASE s.i % {n} {integ} END",
            ["identity"] = "'bench-' || s.i",
            ["title"] = "'Bench error ' || (s.i % 5000) || ' in ' || t.title",
            ["environment"] = "CASE WHEN s.i % 4 = 0 THEN 'staging' ELSE 'production' END",
            ["environment_key"] = "CASE WHEN s.i % 4 = 0 THEN 'staging' ELSE 'production' END",
            ["project"] = "'project-' || (s.i % 25)",
            ["severity"] = "s.i % 5",
            ["source_severity"] = "s.i % 5",
            ["status"] = "CASE WHEN s.i % 10 < 6 THEN 'resolved' WHEN s.i % 10 = 6 THEN 'acknowledged' ELSE 'open' END",
            ["count"] = eventsPerGroup.ToString(CultureInfo.InvariantCulture),
            ["last_seen_at"] = Minutes(nowSql, "s.i % 10080"),
            ["first_seen_at"] = Minutes(nowSql, $"s.i % 10080 + {eventsPerGroup}"),
            ["opened_at"] = Minutes(nowSql, $"s.i % 10080 + {eventsPerGroup}"),
            ["updated_at"] = Minutes(nowSql, "s.i % 10080"),
            ["spike_window_start"] = Minutes(nowSql, "s.i % 10080"),
            ["resolved_at"] = $"CASE WHEN s.i % 10 < 6 THEN {Minutes(nowSql, "s.i % 10080 - 5")} ELSE NULL END",
            ["acknowledged_at"] = $"CASE WHEN s.i % 10 = 6 THEN {Minutes(nowSql, "s.i % 10080 + 2")} ELSE NULL END",
        };
        await CopyAsync(connection, "alert_groups", groupOverrides, groups, $"t.id = {template}", now);
        var first = await ScalarAsync(connection, "SELECT MIN(id) FROM alert_groups WHERE identity LIKE 'bench-%'");
        var last = await ScalarAsync(connection, "SELECT MAX(id) FROM alert_groups WHERE identity LIKE 'bench-%'");
        if (last - first + 1 != groups)
        {
            throw new InvalidOperationException($"bench groups are not contiguous ({first}..{last} for {groups})");
        }

        var eventOverrides = new Dictionary<string, string>
        {
            ["workspace_id"] = "g.workspace_id",
            ["integration_id"] = "g.integration_id",
            ["group_id"] = "g.id",
            ["source_event_id"] = "'bench-' || s.i",
            ["identity"] = "g.identity",
            ["project"] = "g.project",
            ["environment"] = "g.environment",
            ["severity"] = "g.severity",
            ["title"] = "g.title",
            ["raw_payload"] = "NULL",
            ["received_at"] = Minutes("g.last_seen_at", $"s.i / {groups}"),
            ["occurred_at"] = Minutes("g.last_seen_at", $"s.i / {groups}"),
        };
        await CopyAsync(connection, "alert_events", eventOverrides, groups * eventsPerGroup, $"t.id = {templateEvent}", now,
            $"JOIN alert_groups g ON g.id = {first} + s.i % {groups}");

        var tagOverrides = new Dictionary<string, string> { ["workspace_id"] = "g.workspace_id", ["group_id"] = "g.id" };
        // Two of the template's tags per group: enough for the tag filter to have a realistic table to search.
        await CopyAsync(connection, "alert_group_tags", tagOverrides, groups, $"t.group_id = {template} AND t.key IN ('browser.name', 'level')", now,
            $"JOIN alert_groups g ON g.id = {first} + s.i");
        await ExecuteAsync(connection, pg ? "ANALYZE" : "ANALYZE", now);
    }

    private async Task CopyAsync(DbConnection connection, string table, IReadOnlyDictionary<string, string> overrides, int rows, string templateFilter,
        DateTime now, string join = "")
    {
        var pg = database.Provider == "Postgres";
        var columns = await ColumnsAsync(connection, table);
        var list = string.Join(", ", columns.Select(Quote));
        var values = string.Join(", ", columns.Select(c => overrides.TryGetValue(c, out var e) ? e : "t." + Quote(c)));
        var series = pg
            ? $"generate_series(0, {rows - 1}) AS s(i)"
            : "s";
        var sql = pg
            ? $"INSERT INTO {table} ({list}) SELECT {values} FROM {series} {join} CROSS JOIN {table} t WHERE {templateFilter}"
            : $"WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {rows - 1}) "
              + $"INSERT INTO {table} ({list}) SELECT {values} FROM s {join} CROSS JOIN {table} t WHERE {templateFilter}";
        await ExecuteAsync(connection, sql, now);
    }

    private static string Quote(string column) => "\"" + column + "\"";

    private async Task<List<string>> ColumnsAsync(DbConnection connection, string table)
    {
        var sql = database.Provider == "Postgres"
            ? $"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' AND column_name <> 'id' ORDER BY ordinal_position"
            : $"SELECT name FROM pragma_table_info('{table}') WHERE name <> 'id' ORDER BY cid";
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }
        return columns;
    }

    private DbConnection Open() => database.Provider == "Postgres"
        ? new NpgsqlConnection(database.ConnectionString + ";Command Timeout=0")
        : new SqliteConnection(database.ConnectionString + ";Default Timeout=600");

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, DateTime now)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        var p = command.CreateParameter();
        p.ParameterName = "@now";
        // SQLite stores EF's DateTime as text; PostgreSQL as timestamptz.
        p.Value = command is SqliteCommand ? now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : now;
        command.Parameters.Add(p);
        await command.ExecuteNonQueryAsync();
    }
}
