using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Integrations.Slack;
using SignalCraft.Secrets;
using static Microsoft.Playwright.Assertions;

namespace SignalCraft.E2ETests.Health;

/// <summary>
/// A <see cref="Scenario"/> whose workspace is connected to the Slack emulator through its OAuth page (in the browser)
/// with a rule sending production alerts to #alerts. The Slack token is checked every <see cref="TokenCheckInterval"/>
/// (the shortest the settings allow), so a revoked token shows within one check on the real clock.
/// </summary>
public sealed class SlackJourney : IAsyncDisposable
{
    public static readonly TimeSpan TokenCheckInterval = TimeSpan.FromSeconds(10);

    private SlackJourney(Scenario scenario, SlackEmulatorHost emulator)
    {
        S = scenario;
        Emulator = emulator;
    }

    public Scenario S { get; }
    public SlackEmulatorHost Emulator { get; }

    public static async Task<SlackJourney> StartAsync(BrowserFixture browser, BrowserNewContextOptions? options = null)
    {
        var emulator = new SlackEmulatorHost();
        var settings = emulator.AppSettings();
        settings["DeliveryHealth:TokenCheckInterval"] = TokenCheckInterval.ToString();
        var s = await Scenario.StartAsync(browser, options, settings: settings);
        var journey = new SlackJourney(s, emulator);

        var connect = await s.Owner.Client.PostAsync("/api/integrations/slack/connect", null);
        await Api.ExpectAsync(connect, HttpStatusCode.OK);
        var authorizeUrl = (await connect.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizeUrl").GetString()!;
        await s.Page.GotoAsync(authorizeUrl);
        await s.Page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        await Expect(s.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^" + s.App.BaseAddress));
        var slack = (await s.Owner.GetAsync("/api/integrations")).EnumerateArray().Single(i => i.GetProperty("type").GetString() == "slack");
        Assert.Equal(SlackEmulatorHost.TeamId, slack.GetProperty("slack").GetProperty("teamId").GetString());

        var rule = await s.Owner.Client.PostAsJsonAsync("/api/routing-rules", new
        {
            name = "prod to #alerts",
            conditions = new { environments = new[] { "production" }, minSeverity = "med" },
            actions = new { targets = new[] { new { kind = "slack", channel = "#alerts" } }, mention = "auto" },
        });
        await Api.ExpectAsync(rule, HttpStatusCode.Created);
        return journey;
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
