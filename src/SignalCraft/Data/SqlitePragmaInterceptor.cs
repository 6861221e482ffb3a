using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SignalCraft.Data;

/// <summary>
/// Sets the per-connection SQLite pragmas. WAL is persistent in the file, but <c>synchronous</c> and
/// <c>foreign_keys</c> are per connection, so they are set every time a connection opens.
/// </summary>
internal sealed class SqlitePragmaInterceptor(string synchronous) : DbConnectionInterceptor
{
    private readonly string _pragmas =
        $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
