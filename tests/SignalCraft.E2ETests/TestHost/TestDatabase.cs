using Npgsql;
using SignalCraft.Data;

namespace SignalCraft.E2ETests.TestHost;

/// <summary>
/// A database of its own for one test (as in SignalCraft.Tests): a fresh SQLite file in a temporary folder, or a fresh database on the
/// throwaway PostgreSQL server. Dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(DatabaseProvider provider, string connectionString, string? folder, string? pgName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Folder = folder;
        PgName = pgName;
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; private set; }
    public string? Folder { get; }
    private string? PgName { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var folder = Directory.CreateTempSubdirectory("signalcraft-test-").FullName;
            return new TestDatabase(provider, $"Data Source={Path.Combine(folder, "signalcraft.db")}", folder, null);
        }

        var admin = TestEnvironment.RequirePostgres();
        var name = "sc_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        var csb = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, csb.ConnectionString, null, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (PgName is not null)
        {
            await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdmin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{PgName}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        else if (Folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is left to the OS temp cleaner rather than failing the test.
            }
        }
    }
}
