using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Integrations.Slack;
using SignalCraft.Secrets;

namespace SignalCraft.E2ETests.Health;

/// <summary>
/// A <see cref="Scenario"/> whose workspace is connected to the Slack emulator through its OAuth page, with a rule sending
/// production alerts to #alerts. The Slack token is checked every <see cref="TokenCheckInterval"/> (the shortest the
/// settings allow), so a revoked token shows within one check on the real clock.
/// </summary>
public sealed class SlackJourney : IAsyncDisposable
{
    public static readonly TimeSpan TokenCheckInterval = TimeSpan.FromSeconds(10);

    private SlackJourney(Scenario scenario, EmulatedSlack emulator)
    {
        S = scenario;
        Emulator = emulator;
    }

    public Scenario S { get; }
    public EmulatedSlack Emulator { get; }

    public static async Task<SlackJourney> StartAsync(BrowserFixture browser, BrowserNewContextOptions? options = null)
    {
        var emulator = await EmulatedSlack.StartAsync();
        var settings = emulator.AppSettings();
        settings["DeliveryHealth:TokenCheckInterval"] = TokenCheckInterval.ToString();
        Scenario s;
        try
        {
            s = await Scenario.StartAsync(browser, options, settings: settings);
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
        var journey = new SlackJourney(s, emulator);
        try
        {
            await emulator.ConnectAsync(s.Owner);
            var slack = (await s.Owner.GetAsync("/api/integrations")).EnumerateArray().Single(i => i.GetProperty("type").GetString() == "slack");
            Assert.Equal(EmulatedSlack.TeamId, slack.GetProperty("slack").GetProperty("teamId").GetString());

            var rule = await s.Owner.Client.PostAsJsonAsync("/api/routing-rules", new
            {
                name = "prod to #alerts",
                conditions = new { environments = new[] { "production" }, minSeverity = "med" },
                actions = new { targets = new[] { new { kind = "slack", channel = "#alerts" } }, mention = "auto" },
            });
            await Api.ExpectAsync(rule, HttpStatusCode.Created);
            return journey;
        }
        catch
        {
            await journey.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until #alerts holds <paramref name="count"/> top-level messages or more.</summary>
    public Task<List<JsonElement>> WaitForMessagesAsync(int count) =>
        Eventually.WaitAsync(() => Emulator.MessagesAsync(), m => m.Count >= count, $"{count} message(s) in #alerts");

    /// <summary>The bot token SignalCraft holds, decrypted here only to tell the emulator which token to revoke.</summary>
    public async Task<string> BotTokenAsync()
    {
        await using var scope = S.App.Services.CreateAsyncScope();
        var connection = await scope.ServiceProvider.GetRequiredService<SignalCraftDbContext>().Set<SlackConnection>().IgnoreQueryFilters().SingleAsync();
        return scope.ServiceProvider.GetRequiredService<SecretProtector>().Unprotect(SlackTokens.TokenPurpose, connection.TokenProtected);
    }

    public async ValueTask DisposeAsync()
    {
        await S.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
