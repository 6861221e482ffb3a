using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Accounts;
using SignalCraft.Data;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Accounts;

public sealed class WorkspaceSettingsTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task GetSettings_NewWorkspace_AnswersTheDefaults(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com");

        var settings = await owner.Client.GetFromJsonAsync<JsonElement>("/api/workspace/settings");
        Assert.Equal(60, settings.GetProperty("dedupWindowMinutes").GetInt32());
        Assert.Equal("production", settings.GetProperty("environmentAliases").GetProperty("prod").GetString());
        Assert.Equal(240, settings.GetProperty("autoCloseMinutes").GetInt32());
        Assert.Equal(30, settings.GetProperty("updateIntervalSeconds").GetInt32());
        Assert.Equal(60, settings.GetProperty("deliverySloSeconds").GetInt32());
        Assert.Equal("UTC", settings.GetProperty("timeZone").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PutSettings_Subset_ChangesOnlyThoseAndTheStoreReadsThem(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com");

        var put = await owner.Client.PutAsJsonAsync("/api/workspace/settings", new
        {
            dedupWindowMinutes = 15,
            environmentAliases = new Dictionary<string, string> { ["Prod "] = "Production", ["stg"] = "staging" },
            timeZone = "Europe/Berlin",
        });
        await put.AssertStatusAsync(HttpStatusCode.OK);
        await (await owner.Client.PutAsJsonAsync("/api/workspace/settings", new { autoCloseMinutes = 0 })).AssertStatusAsync(HttpStatusCode.OK);

        var settings = await app.WithScopeAsync(sp => sp.GetRequiredService<WorkspaceSettingsStore>().GetAsync(owner.WorkspaceId, default));
        Assert.Equal(TimeSpan.FromMinutes(15), settings.DedupWindow);
        Assert.Null(settings.AutoCloseAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.UpdateInterval); // untouched
        Assert.Equal("Europe/Berlin", settings.TimeZoneInfo.Id);
        Assert.Equal("production", settings.CanonicalEnvironment("PROD"));
        Assert.Equal("staging", settings.CanonicalEnvironment(" stg"));
        Assert.Equal("qa", settings.CanonicalEnvironment("QA"));
        Assert.Equal("", settings.CanonicalEnvironment(null));
        Assert.Contains("\"stg\":\"staging\"", await owner.Client.GetStringAsync("/api/workspace/settings"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task PutSettings_OutOfRangeOrUnknownValues_ValidationProblemPerFieldAndNothingChanges(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com");
        var before = await owner.Client.GetStringAsync("/api/workspace/settings");

        var ranges = await owner.Client.PutAsJsonAsync("/api/workspace/settings",
            new { dedupWindowMinutes = 0, autoCloseMinutes = -1, updateIntervalSeconds = 1, deliverySloSeconds = 99999 });
        var errors = await ranges.AssertValidationProblemAsync();
        Assert.Contains("between 1 and 10080", errors.GetProperty("dedupWindowMinutes")[0].GetString());
        Assert.True(errors.TryGetProperty("autoCloseMinutes", out _));
        Assert.True(errors.TryGetProperty("updateIntervalSeconds", out _));
        Assert.True(errors.TryGetProperty("deliverySloSeconds", out _));

        var zone = await owner.Client.PutAsJsonAsync("/api/workspace/settings", new { timeZone = "Mars/Olympus_Mons" });
        Assert.Contains("IANA", (await zone.AssertValidationProblemAsync()).GetProperty("timeZone")[0].GetString());
        var windowsZone = await owner.Client.PutAsJsonAsync("/api/workspace/settings", new { timeZone = "W. Europe Standard Time" });
        await windowsZone.AssertValidationProblemAsync();
        var chain = await owner.Client.PutAsJsonAsync("/api/workspace/settings",
            new { environmentAliases = new Dictionary<string, string> { ["prd"] = "prod", ["prod"] = "production" } });
        Assert.Contains("itself an alias", (await chain.AssertValidationProblemAsync()).GetProperty("environmentAliases")[0].GetString());
        var wrongType = await owner.Client.PutAsync("/api/workspace/settings",
            new StringContent("""{"dedupWindowMinutes": "an hour"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Contains("$.dedupWindowMinutes", await wrongType.AssertProblemAsync(HttpStatusCode.BadRequest));

        Assert.Equal(before, await owner.Client.GetStringAsync("/api/workspace/settings"));
    }

    [Theory]
    [InlineData("UTC", true)]
    [InlineData("Europe/Berlin", true)]
    [InlineData("America/Argentina/Buenos_Aires", true)]
    [InlineData("europe/berlin", false)]
    [InlineData("W. Europe Standard Time", false)]
    [InlineData("", false)]
    [InlineData("../etc/passwd", false)]
    public void IsIanaTimeZone_Name_AcceptsOnlyIanaIds(string name, bool expected) =>
        Assert.Equal(expected, WorkspaceSettingsRules.IsIanaTimeZone(name));

    [Fact]
    public void CheckAliases_BadMaps_NameTheProblem()
    {
        Assert.Empty(WorkspaceSettingsRules.CheckAliases(new Dictionary<string, string> { ["prod"] = "production", ["stg"] = "staging" }));
        Assert.Contains("mapped to itself", Assert.Single(WorkspaceSettingsRules.CheckAliases(new Dictionary<string, string> { ["Prod"] = "prod" })));
        Assert.Contains("twice", Assert.Single(WorkspaceSettingsRules.CheckAliases(
            new Dictionary<string, string> { ["prod"] = "production", ["PROD"] = "production" })));
        Assert.Contains("empty", Assert.Single(WorkspaceSettingsRules.CheckAliases(new Dictionary<string, string> { [" "] = "production" })));
        Assert.Contains("at most", Assert.Single(WorkspaceSettingsRules.CheckAliases(
            Enumerable.Range(0, 51).ToDictionary(i => $"a{i}", _ => "b"))));
    }
}
