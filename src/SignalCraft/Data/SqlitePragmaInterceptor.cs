using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace SignalCraft.Data;

/// <summary>
/// Sets the per-connection SQLite pragmas. WAL is persistent in the file, but <c>synchronous</c>, <c>foreign_keys</c>
/// and <c>busy_timeout</c> live on the native connection, so they are set once per native connection. Microsoft.Data.Sqlite
/// pools native connections and every EF open of a pooled one would otherwise run four pragmas again: the storm profile
/// showed a webhook paying two opens, i.e. eight extra statements. Whoever changes one of these on a pooled connection
/// (<see cref="SqliteGroupSync"/>, migrations) puts it back or clears the pool, which drops the native connection.
/// </summary>
internal sealed class SqlitePragmaInterceptor(string synchronous) : DbConnectionInterceptor
{
    private static readonly object Applied = new();
    private readonly ConditionalWeakTable<sqlite3, object> _applied = new();
    private readonly string _pragmas =
        $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (AlreadySet(connection))
        {
            return;
        }
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
        Remember(connection);
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (AlreadySet(connection))
        {
            return;
        }
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        Remember(connection);
    }

    private bool AlreadySet(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && _applied.TryGetValue(handle, out _);

    private void Remember(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            _applied.AddOrUpdate(handle, Applied);
        }
    }
}
