using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Hosting;

public sealed class StartupTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Start_FreshDatabase_AppliesEveryMigrationAndIsReady(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());

        var (applied, known) = await app.WithScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<SignalCraftDbContext>();
            return ((await context.Database.GetAppliedMigrationsAsync()).ToList(), context.Database.GetMigrations().ToList());
        });
        Assert.NotEmpty(known);
        Assert.Equal(known, applied);
    }

    [Fact]
    public async Task Readyz_PostgresBlackholed_Answers503WithinOneSecond()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var (host, port) = db.PostgresEndpoint;
        await using var proxy = new TcpProxy(host, port);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = db.ViaProxy(proxy.Port),
        });
        var client = app.Start();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        proxy.Blackhole();
        proxy.CutExisting();

        var watch = Stopwatch.StartNew();
        var response = await client.GetAsync("/readyz");
        watch.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"/readyz took {watch.Elapsed.TotalMilliseconds:F0} ms");
        // The liveness probe does not depend on the database: the process is fine, only not ready.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Readyz_SqliteFileGone_Answers503WithinOneSecond()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db);
        var client = app.Start();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        // The file disappears with its folder (a lost volume); SQLite cannot reopen it.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(db.Folder!, recursive: true);

        var watch = Stopwatch.StartNew();
        var response = await client.GetAsync("/readyz");
        watch.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"/readyz took {watch.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Start_InvalidPublicBaseUrl_FailsWithMessageNamingTheSetting()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?> { ["App:PublicBaseUrl"] = "alerts.example.com" });

        var error = Assert.ThrowsAny<Exception>(() => app.Start());
        Assert.Contains("App:PublicBaseUrl", error.ToString());
    }
}
