using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Control;

/// <summary>The demo seed from the emulator's appsettings.json.</summary>
public sealed class SeedConfigurationTests(SeededEmulatorHost host) : IClassFixture<SeededEmulatorHost>
{
    [Fact]
    public async Task Start_WithSeed_HasDemoTeamChannelsAndWorkingBotToken()
    {
        var teams = (await host.Control.GetAsync("/_emulator/teams"))!.AsArray();
        var (_, post) = await host.Control.PostMessageAsync("xoxb-emulator-demo-token", "#alerts", "demo");

        var demo = Assert.Single(teams)!;
        Assert.Equal("T0DEMO", demo["id"]!.GetValue<string>());
        Assert.Equal(["alerts", "oncall"], demo["channels"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.True(post["ok"]!.GetValue<bool>(), post.ToJsonString());
        Assert.Equal("C0ALERTS", post["channel"]!.GetValue<string>());
    }
}
