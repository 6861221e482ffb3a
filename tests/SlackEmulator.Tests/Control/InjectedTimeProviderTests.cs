using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Control;

/// <summary>A test host can give the emulator its own TimeProvider; ts values and limits follow it.</summary>
public sealed class InjectedTimeProviderTests(FakeClockEmulatorHost host) : IClassFixture<FakeClockEmulatorHost>
{
    [Fact]
    public async Task PostMessage_WithInjectedFakeTimeProvider_TsFollowsTheFakeClock()
    {
        var control = host.Control;
        await control.ResetAsync();
        var w = new TestWorkspace();
        var token = await control.CreateWorkspaceAsync(w);
        await control.SetRateLimitsAsync(new { postBurst = 1 });
        var start = FakeClockEmulatorHost.Time.GetUtcNow().ToUnixTimeSeconds();

        var (_, first) = await control.PostMessageAsync(token, w.AlertsId, "one");
        var (limited, _) = await control.PostMessageAsync(token, w.AlertsId, "two");
        FakeClockEmulatorHost.Time.Advance(TimeSpan.FromSeconds(5));
        var (_, third) = await control.PostMessageAsync(token, w.AlertsId, "three");

        Assert.StartsWith($"{start}.", first["ts"]!.GetValue<string>());
        Assert.Equal(429, (int)limited.StatusCode);
        Assert.StartsWith($"{start + 5}.", third["ts"]!.GetValue<string>());
    }
}
