using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SignalCraft.Bench.Jobs;

/// <summary>The real SignalCraft host in this process (real clock, real database), configured by settings.</summary>
internal sealed class BenchHost(IDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Bench");
        // The app's files (appsettings.json) are copied beside this program; nothing is written there.
        builder.UseContentRoot(AppContext.BaseDirectory);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>A database of its own for one benchmark round: a SQLite file, or a fresh PostgreSQL database.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
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

    public string Provider { get; }
    public string ConnectionString { get; }

    /// <summary>The settings that point a host at this database.</summary>
    public Dictionary<string, string?> Settings(int workers) => new()
    {
        ["Database:Provider"] = Provider,
        [$"ConnectionStrings:{Provider}"] = ConnectionString,
        ["Secrets:MasterKey"] = MasterKey,
        ["Jobs:Workers"] = workers.ToString(),
        // A long poll: every start measured here comes from a wake-up, and a lost one shows as seconds.
        ["Jobs:PollInterval"] = "00:00:30",
        ["Logging:LogLevel:Default"] = "Warning",
        // A fresh database makes EF log its probe of the missing migrations table as an error; it is expected here.
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Critical",
    };

    private static readonly string MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static BenchDatabase Sqlite()
    {
        var folder = Directory.CreateTempSubdirectory("signalcraft-bench-").FullName;
        return new BenchDatabase("Sqlite", $"Data Source={Path.Combine(folder, "bench.db")}", folder, null, null);
    }

    public static async Task<BenchDatabase> PostgresAsync(string admin)
    {
        var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        return new BenchDatabase("Postgres", cs, null, name, admin);
    }

    /// <summary>Waits until some connection of this database LISTENs (the worker instance's listener is up).</summary>
    public async Task WaitForListenerAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        while (DateTime.UtcNow < deadline)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'", connection);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("The worker instance never started listening for job notifications.");
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
                // left to the OS temp cleaner
            }
        }
    }
}
