using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Alerts;
using SignalCraft.Data;
using SignalCraft.Tests.Grouping;
using SignalCraft.Tests.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Sources;

/// <summary>
/// SQLite ingest commits with synchronous=NORMAL and answers after a shared fsync of the WAL (group commit): every
/// concurrent webhook is stored, and no pooled connection is left at the relaxed level for other writers.
/// </summary>
public sealed class IngestGroupSyncTests
{
    [Fact]
    public async Task ConcurrentWebhooks_AllStored_AndConnectionsBackToFull()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);
        var fixture = SentryFixture.Load("event_alert.error.production");

        var requests = Enumerable.Range(0, 24).Select(i => NoisyAlerts.WithEventId(fixture, NoisyAlerts.NewEventId(i))).ToList();
        var responses = await Task.WhenAll(requests.Select(r => SentryWebhookClient.PostAsync(client, integration.Url, r, app)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.True(app.Services.GetRequiredService<SqliteGroupSync>().Applies);
        var (stored, levels) = await app.WithScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<SignalCraftDbContext>();
            var count = await context.Set<AlertEvent>().CountAsync(e => e.IntegrationId == integration.Id);
            // Every pooled connection the webhooks used: opening as many at once takes them all from the pool.
            var connections = new List<Microsoft.Data.Sqlite.SqliteConnection>();
            var found = new List<long>();
            var cs = context.Database.GetConnectionString()!;
            for (var i = 0; i < 8; i++)
            {
                var connection = new Microsoft.Data.Sqlite.SqliteConnection(cs);
                await connection.OpenAsync();
                connections.Add(connection);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA synchronous;";
                found.Add((long)(await command.ExecuteScalarAsync())!);
            }
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
            return (count, found);
        });
        Assert.Equal(requests.Count, stored);
        // 2 = FULL, the configured level; the interceptor sets it only on open, so a relaxed pooled one would show 1.
        Assert.All(levels, level => Assert.Equal(2L, level));
    }

    [Fact]
    public async Task ReusedPooledConnections_KeepForeignKeysAndFullSync()
    {
        // The pragmas are set once per native connection; every later open of a pooled one (after migrations, after
        // ingest relaxed and restored it) must still enforce foreign keys and sync at the configured level.
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        var integration = await SentryWebhookClient.CreateAsync(app);
        var fixture = SentryFixture.Load("event_alert.error.production");
        var responses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(i => SentryWebhookClient.PostAsync(client, integration.Url, NoisyAlerts.WithEventId(fixture, NoisyAlerts.NewEventId(i)), app)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));

        for (var i = 0; i < 5; i++)
        {
            var (foreignKeys, synchronous) = await app.WithScopeAsync(async sp =>
            {
                var context = sp.GetRequiredService<SignalCraftDbContext>();
                await context.Database.OpenConnectionAsync();
                try
                {
                    var connection = context.Database.GetDbConnection();
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA foreign_keys;";
                    var fk = (long)(await command.ExecuteScalarAsync())!;
                    command.CommandText = "PRAGMA synchronous;";
                    return (fk, (long)(await command.ExecuteScalarAsync())!);
                }
                finally
                {
                    await context.Database.CloseConnectionAsync();
                }
            });
            Assert.Equal(1L, foreignKeys);
            Assert.Equal(2L, synchronous);
        }
    }
}
