using Microsoft.Data.Sqlite;
using Npgsql;

namespace SignalCraft.Bench.Storm;

/// <summary>A fresh database for one SignalCraft process: a SQLite file in a temp folder, or a new PostgreSQL database.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly string? _pgName;
    private readonly string? _admin;

    private BenchDatabase(string provider, string connectionString, string? folder, string? pgName, string? admin)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _folder = folder;
        _pgName = pgName;
        _admin = admin;
    }

    /// <summary><c>Sqlite</c> or <c>Postgres</c>, as SignalCraft's <c>Database__Provider</c> takes it.</summary>
    public string Provider { get; }
    public string ConnectionString { get; }

    /// <summary>The temp folder of a SQLite database (also the app's data folder), else null.</summary>
    public string? Folder => _folder;

    public static BenchDatabase Sqlite()
    {
        var folder = Directory.CreateTempSubdirectory("signalcraft-bench-").FullName;
        return new BenchDatabase("Sqlite", $"Data Source={Path.Combine(folder, "signalcraft.db")}", folder, null, null);
    }

    public static async Task<BenchDatabase> PostgresAsync(string admin)
    {
        var name = "bench_storm_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 100 }.ConnectionString;
        return new BenchDatabase("Postgres", cs, Directory.CreateTempSubdirectory("signalcraft-bench-").FullName, name, admin);
    }

    /// <summary>The Sentry event ids stored for one integration (read straight from alert_events).</summary>
    public async Task<HashSet<string>> StoredEventIdsAsync(long integrationId)
    {
        const string sql = "SELECT source_event_id FROM alert_events WHERE integration_id = @id";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (Provider == "Postgres")
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("id", integrationId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }
        }
        else
        {
            await using var connection = new SqliteConnection(ConnectionString + ";Mode=ReadOnly");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("@id", integrationId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }
        }
        return ids;
    }

    /// <summary>One probe's first notification job, as the database recorded it (SignalCraft's clock, UTC).</summary>
    public sealed record ProbeJob(DateTime GroupFirstSeen, DateTime Created, DateTime? Attempted, DateTime? Finalized, int Attempts);

    /// <summary>
    /// The first-notification jobs of the groups of one project: where a probe's time to page went (waiting for a
    /// worker, or in the send itself).
    /// </summary>
    public async Task<List<ProbeJob>> FirstNotificationJobsAsync(string project)
    {
        const string sql = """
            SELECT g.first_seen_at, j.created_at, j.attempted_at, j.finalized_at, j.attempt
            FROM alert_groups g JOIN jobs j ON j.kind = 'send_notification' AND j.unique_key LIKE 'notify:' || g.id || ':%:opened'
            WHERE g.project = @p
            """;
        var rows = new List<ProbeJob>();
        await using var connection = Provider == "Postgres"
            ? (System.Data.Common.DbConnection)new NpgsqlConnection(ConnectionString)
            : new SqliteConnection(ConnectionString + ";Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "p";
        parameter.Value = project;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new ProbeJob(reader.GetDateTime(0), reader.GetDateTime(1), reader.IsDBNull(2) ? null : reader.GetDateTime(2),
                reader.IsDBNull(3) ? null : reader.GetDateTime(3), reader.GetInt32(4)));
        }
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        if (_pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_admin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_pgName}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
