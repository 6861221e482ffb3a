using System.Net;
using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Api;

/// <summary>Per-channel posting rate and per-team method tiers, driven by the emulator clock.</summary>
public sealed class RateLimitTests(EmulatorHost host) : EmulatorTest(host)
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Emulator.SetClockAsync(DateTimeOffset.FromUnixTimeSeconds(1_718_000_000));
    }

    [Fact]
    public async Task PostMessage_SecondRapidPostWithBurstOne_Returns429WithRetryAfter()
    {
        await Emulator.SetRateLimitsAsync(new { postBurst = 1 });

        var (first, _) = await Emulator.PostMessageAsync(Token, W.AlertsId, "one");
        var (second, body) = await Emulator.PostMessageAsync(Token, W.AlertsId, "two");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode)429, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), second.Headers.RetryAfter!.Delta);
        Assert.Equal("ratelimited", Str(body["error"]));
        Assert.Single(await Emulator.MessagesAsync(W.TeamId, W.AlertsId));
    }

    [Fact]
    public async Task PostMessage_AfterAdvancingClockOneSecond_IsAcceptedAgain()
    {
        await Emulator.SetRateLimitsAsync(new { postBurst = 1 });
        await Emulator.PostMessageAsync(Token, W.AlertsId, "one");

        await Emulator.AdvanceAsync(1);
        var (response, body) = await Emulator.PostMessageAsync(Token, W.AlertsId, "two");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PostMessage_DefaultSettings_AllowShortBurstThenLimit()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await Emulator.PostMessageAsync(Token, W.AlertsId, $"m{i}")).Response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], statuses);
    }

    [Fact]
    public async Task PostMessage_LimitedChannel_DoesNotLimitAnotherChannel()
    {
        await Emulator.SetRateLimitsAsync(new { postBurst = 1 });
        await Emulator.PostMessageAsync(Token, W.AlertsId, "one");

        var (response, _) = await Emulator.PostMessageAsync(Token, W.SecretId, "other channel");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PostMessage_RefusedPost_DoesNotUseTheChannelBudget()
    {
        await Emulator.SetRateLimitsAsync(new { postBurst = 1 });
        await Emulator.ApiJsonAsync("chat.postMessage", Token, new { channel = W.AlertsId });

        var (response, _) = await Emulator.PostMessageAsync(Token, W.AlertsId, "real post");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Update_OverTeamTier_Returns429UntilClockAdvances()
    {
        await Emulator.SetRateLimitsAsync(new { tier3PerMinute = 3 });
        var ts = Str((await Emulator.PostMessageAsync(Token, W.AlertsId, "v0")).Body["ts"]);

        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 4; i++)
        {
            statuses.Add((await Emulator.ApiJsonAsync("chat.update", Token, new { channel = W.AlertsId, ts, text = $"v{i}" })).Response.StatusCode);
        }

        await Emulator.AdvanceAsync(20);
        var (after, _) = await Emulator.ApiJsonAsync("chat.update", Token, new { channel = W.AlertsId, ts, text = "v5" });

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], statuses);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Update_TierIsPerTeam_OtherTeamUnaffected()
    {
        await Emulator.SetRateLimitsAsync(new { tier3PerMinute = 1 });
        var other = new TestWorkspace(TeamId: "T0OTHER");
        var otherToken = await Emulator.CreateWorkspaceAsync(other);
        var ts = Str((await Emulator.PostMessageAsync(Token, W.AlertsId, "v0")).Body["ts"]);
        var otherTs = Str((await Emulator.PostMessageAsync(otherToken, other.AlertsId, "v0")).Body["ts"]);
        await Emulator.ApiJsonAsync("chat.update", Token, new { channel = W.AlertsId, ts, text = "v1" });

        var (limited, _) = await Emulator.ApiJsonAsync("chat.update", Token, new { channel = W.AlertsId, ts, text = "v2" });
        var (otherTeam, _) = await Emulator.ApiJsonAsync("chat.update", otherToken, new { channel = other.AlertsId, ts = otherTs, text = "v1" });

        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherTeam.StatusCode);
    }

    [Fact]
    public async Task PostMessage_LimitsSwitchedOff_NeverLimits()
    {
        await Emulator.SetRateLimitsAsync(new { enabled = false });

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Emulator.PostMessageAsync(Token, W.AlertsId, $"m{i}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
    }

    [Fact]
    public async Task RateLimited_CallLog_RecordsOutcomeRatelimited()
    {
        await Emulator.SetRateLimitsAsync(new { postBurst = 1 });
        await Emulator.PostMessageAsync(Token, W.AlertsId, "one");
        await Emulator.PostMessageAsync(Token, W.AlertsId, "two");

        var calls = await Emulator.CallsAsync("chat.postMessage");

        Assert.Equal(["ok", "ratelimited"], calls.Select(c => Str(c!["outcome"])));
        Assert.Equal(429, calls[1]!["httpStatus"]!.GetValue<int>());
        Assert.Equal(W.AlertsId, Str(calls[1]!["channel"]));
        Assert.Equal(W.TeamId, Str(calls[1]!["teamId"]));
    }
}
