using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using SignalCraft.Data.Postgres;
using SignalCraft.Data.Sqlite;

namespace SignalCraft.Data;

// Used only by `dotnet ef migrations add`: each provider's migrations are generated against its own context
// without starting the web host.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSignalCraftDbContext>
{
    public SqliteSignalCraftDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSignalCraftDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSignalCraftDbContext>
{
    public PostgresSignalCraftDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSignalCraftDbContext>().UseNpgsql("Host=localhost").Options);
}
