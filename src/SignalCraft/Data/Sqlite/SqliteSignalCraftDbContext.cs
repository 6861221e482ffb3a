using Microsoft.EntityFrameworkCore;

namespace SignalCraft.Data.Sqlite;

/// <summary>Anchors the SQLite migration set; adds nothing to the model.</summary>
public sealed class SqliteSignalCraftDbContext(DbContextOptions<SqliteSignalCraftDbContext> options)
    : SignalCraftDbContext(options);
