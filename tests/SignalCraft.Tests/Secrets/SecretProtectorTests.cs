using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Secrets;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Secrets;

public sealed class SecretProtectorTests
{
    [Fact]
    public async Task Unprotect_TwoPostgresInstancesSameMasterKey_ReadEachOthersSecretsAndWriteNoKeyFile()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var rootA = Directory.CreateTempSubdirectory("signalcraft-a-").FullName;
        var rootB = Directory.CreateTempSubdirectory("signalcraft-b-").FullName;
        await using var a = new SignalCraftApp(db, contentRoot: rootA);
        await using var b = new SignalCraftApp(db, contentRoot: rootB);
        a.Start();
        b.Start();

        var sealedValue = a.Services.GetRequiredService<SecretProtector>().Protect("slack-token", "xoxb-test-value");
        var opened = b.Services.GetRequiredService<SecretProtector>().Unprotect("slack-token", sealedValue);

        Assert.Equal("xoxb-test-value", opened);
        Assert.DoesNotContain("xoxb-test-value", sealedValue);
        Assert.Empty(Directory.EnumerateFiles(rootA, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(rootB, "*", SearchOption.AllDirectories));

        // The key ring is in the database, and each key is stored encrypted under the master key.
        var keys = await a.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().DataProtectionKeys.ToListAsync());
        var key = Assert.Single(keys);
        Assert.Contains("encryptedKey", key.Xml);
        Assert.DoesNotContain("<masterKey", key.Xml);
    }

    [Fact]
    public async Task Unprotect_OtherMasterKey_FailsInsteadOfReturningData()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        string sealedValue;
        await using (var a = new SignalCraftApp(db))
        {
            a.Start();
            sealedValue = a.Services.GetRequiredService<SecretProtector>().Protect("slack-token", "xoxb-test-value");
        }
        await using var b = new SignalCraftApp(db, new Dictionary<string, string?>
        {
            ["Secrets:MasterKey"] = Convert.ToBase64String(new byte[32]),
        });
        b.Start();

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(
            () => b.Services.GetRequiredService<SecretProtector>().Unprotect("slack-token", sealedValue));
    }

    [Fact]
    public async Task Start_PostgresWithoutMasterKey_RefusesNamingTheSetting()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var app = new SignalCraftApp(db, new Dictionary<string, string?> { ["Secrets:MasterKey"] = null },
            contentRoot: Directory.CreateTempSubdirectory("signalcraft-").FullName);

        var error = Assert.ThrowsAny<Exception>(() => app.Start());
        Assert.Contains("Secrets__MasterKey", error.ToString());
    }

    [Fact]
    public async Task Start_SqliteWithoutMasterKey_GeneratesOneIntoDataFolderAndReusesIt()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var root = Directory.CreateTempSubdirectory("signalcraft-").FullName;
        var keyFile = Path.Combine(root, "data", "master.key");
        string sealedValue;
        await using (var first = new SignalCraftApp(db, new Dictionary<string, string?> { ["Secrets:MasterKey"] = null }, root))
        {
            first.Start();
            sealedValue = first.Services.GetRequiredService<SecretProtector>().Protect("p", "secret");
        }
        Assert.True(File.Exists(keyFile));
        Assert.Equal(32, Convert.FromBase64String(await File.ReadAllTextAsync(keyFile)).Length);

        await using var second = new SignalCraftApp(db, new Dictionary<string, string?> { ["Secrets:MasterKey"] = null }, root);
        second.Start();
        Assert.Equal("secret", second.Services.GetRequiredService<SecretProtector>().Unprotect("p", sealedValue));
    }
}
