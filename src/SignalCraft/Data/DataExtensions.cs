using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SignalCraft.Data.Postgres;
using SignalCraft.Data.Sqlite;

namespace SignalCraft.Data;

internal static class DataExtensions
{
    /// <summary>Registers the one <see cref="SignalCraftDbContext"/>, backed by the configured provider.</summary>
    public static IHostApplicationBuilder AddData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        // Options are built once per process (singleton), so EF keeps one internal service provider.
        // Everything is read lazily from options so that a test host's configuration applies (values set by a
        // WebApplicationFactory are not visible while Program.cs registers services).
        builder.Services.AddDbContext<PostgresSignalCraftDbContext>((sp, o) => o.UseNpgsql(
            sp.GetRequiredService<IConfiguration>().GetConnectionString("Postgres")
            ?? throw new InvalidOperationException(
                "Database:Provider is Postgres but ConnectionStrings:Postgres (ConnectionStrings__Postgres) is not set.")),
            ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        builder.Services.AddDbContext<SqliteSignalCraftDbContext>((sp, o) =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var connectionString = ResolveSqlitePath(
                configuration.GetConnectionString("Sqlite") ?? "Data Source=data/signalcraft.db",
                sp.GetRequiredService<IHostEnvironment>().ContentRootPath);
            var synchronous = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.SqliteSynchronous;
            o.UseSqlite(connectionString).AddInterceptors(new SqlitePragmaInterceptor(synchronous));
        }, ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        builder.Services.AddScoped<SignalCraftDbContext>(sp => sp.GetRequiredService<DatabaseInfo>().IsPostgres
            ? sp.GetRequiredService<PostgresSignalCraftDbContext>()
            : sp.GetRequiredService<SqliteSignalCraftDbContext>());
        builder.Services.AddSingleton(sp => new DatabaseInfo(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider));
        builder.Services.AddSingleton<SqliteWriteGate>();
        builder.Services.AddSingleton<SqliteGroupSync>();
        builder.Services.AddSingleton<PostgresPoolRefill>();
        builder.Services.AddHostedService<DatabaseMigrator>();
        return builder;
    }

    /// <summary>
    /// Anchors a relative SQLite file to the content root and creates its folder, so that the zero-setup run
    /// works from a fresh clone.
    /// </summary>
    internal static string ResolveSqlitePath(string connectionString, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (csb.DataSource is { Length: > 0 } source && source != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            var full = Path.GetFullPath(Path.Combine(contentRoot, source));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            csb.DataSource = full;
        }
        // Writers wait for each other (Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout).
        if (csb.DefaultTimeout < 30)
        {
            csb.DefaultTimeout = 30;
        }
        return csb.ToString();
    }
}

/// <summary>The provider this process runs on, for the few places where SQL differs.</summary>
public sealed record DatabaseInfo(DatabaseProvider Provider)
{
    public bool IsPostgres => Provider == DatabaseProvider.Postgres;
}
