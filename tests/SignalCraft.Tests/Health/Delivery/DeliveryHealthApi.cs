using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Integrations.Slack;
using SignalCraft.Secrets;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.Notify.Slack;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Health.Delivery;

/// <summary>A workspace connected to the Slack emulator with a Sentry integration and a rule to #alerts, read as a user reads it.</summary>
internal sealed class DeliveryScenario : IAsyncDisposable
{
    private TestDatabase _db = null!;

    public SignalCraftApp App { get; private set; } = null!;
    public SlackEmulatorHost Emulator { get; private set; } = null!;
    public TestUser Owner { get; private set; } = null!;
    public SentryIntegrationApi.Created Integration { get; private set; } = null!;

    public static async Task<DeliveryScenario> StartAsync(DatabaseProvider provider)
    {
        var s = new DeliveryScenario { _db = await TestDatabase.CreateAsync(provider) };
        s.App = new SignalCraftApp(s._db);
        s.Emulator = new SlackEmulatorHost(s.App.Clock);
        s.App.Configure(s.Emulator.AppSettings());
        s.App.Start();
        s.Owner = await s.App.RegisterAsync("owner@example.com", "Acme");
        s.Integration = await SentryIntegrationApi.CreateAsync(s.Owner);
        await SlackTestKit.ConnectedAsync(s.Owner);
        await SlackTestKit.CreateRuleAsync(s.Owner, "#alerts");
        return s;
    }

    public Task<JsonElement> HealthAsync() => Owner.Client.GetFromJsonAsync<JsonElement>("/api/health/delivery");

    /// <summary>The report's one Slack connection.</summary>
    public async Task<JsonElement> SlackRowAsync() => (await HealthAsync()).GetProperty("slack").EnumerateArray().Single();

    /// <summary>The bot token SignalCraft holds (decrypted here only to tell the emulator which token to revoke).</summary>
    public Task<string> BotTokenAsync() => App.WithScopeAsync(async sp =>
    {
        var connection = await sp.GetRequiredService<SignalCraftDbContext>().Set<SlackConnection>().IgnoreQueryFilters().SingleAsync();
        return sp.GetRequiredService<SecretProtector>().Unprotect(SlackTokens.TokenPurpose, connection.TokenProtected);
    });

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Emulator.DisposeAsync();
        await _db.DisposeAsync();
    }
}
