using Microsoft.EntityFrameworkCore;

namespace SignalCraft.Data.Postgres;

/// <summary>Anchors the PostgreSQL migration set; adds nothing to the model.</summary>
public sealed class PostgresSignalCraftDbContext(DbContextOptions<PostgresSignalCraftDbContext> options)
    : SignalCraftDbContext(options);
