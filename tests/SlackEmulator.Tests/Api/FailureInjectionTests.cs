using System.Diagnostics;
using System.Net;
using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Api;

/// <summary>Scripted failures: 429, 5xx with HTML, bounded hangs, error codes (fatal_error after storing).</summary>
public sealed class FailureInjectionTests(EmulatorHost host) : EmulatorTest(host)
{
    [Fact]
    public async Task InjectedRateLimit_Returns429WithGivenRetryAfterOnce()
    {
        await Emulator.AddFailureAsync(new { method = "chat.postMessage", kind = "ratelimited", retryAfter = 30 });

        var (limited, body) = await Emulator.PostMessageAsync(Token, W.AlertsId, "one");
        var (next, _) = await Emulator.PostMessageAsync(Token, W.AlertsId, "two");

        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), limited.Headers.RetryAfter!.Delta);
        Assert.Equal("ratelimited", Str(body["error"]));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task InjectedServerError_Returns503WithHtmlBody()
    {
        await Emulator.AddFailureAsync(new { method = "chat.postMessage", kind = "http_error", status = 503 });

        var (response, body) = await Emulator.PostMessageAsync(Token, W.AlertsId, "one");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Server Error | Slack", Str(body["raw"]));
        Assert.Empty(await Emulator.MessagesAsync(W.TeamId, W.AlertsId));
    }

    [Fact]
    public async Task InjectedTimeout_ClientTimesOutAndNothingIsStored()
    {
        await Emulator.AddFailureAsync(new { method = "chat.postMessage", kind = "timeout", hangSeconds = 3 });
        using var client = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromMilliseconds(300) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat.postMessage")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Token, ["channel"] = W.AlertsId, ["text"] = "x" }),
        };

        await Assert.ThrowsAsync<TaskCanceledException>(() => client.SendAsync(request, Ct));

        Assert.Empty(await Emulator.MessagesAsync(W.TeamId, W.AlertsId));
    }

    [Fact]
    public async Task InjectedTimeout_HangIsBoundedThenAnswers504()
    {
        await Emulator.AddFailureAsync(new { method = "auth.test", kind = "timeout", hangSeconds = 1 });
        var watch = Stopwatch.StartNew();

        var (response, _) = await Emulator.ApiJsonAsync("auth.test", Token, new { });

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task InjectedTimeoutWithApply_StoresMessageBeforeHanging()
    {
        await Emulator.AddFailureAsync(new { method = "chat.postMessage", kind = "timeout", hangSeconds = 1, apply = true });

        var (response, _) = await Emulator.PostMessageAsync(Token, W.AlertsId, "ambiguous");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("ambiguous", Str(Assert.Single(await Emulator.MessagesAsync(W.TeamId, W.AlertsId))!["text"]));
    }

    [Fact]
    public async Task InjectedFatalError_ReturnsFatalErrorAfterStoringTheMessage()
    {
        await Emulator.AddFailureAsync(new { method = "chat.postMessage", kind = "fatal_error" });

        var (response, body) = await Emulator.PostMessageAsync(Token, W.AlertsId, "stored anyway");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fatal_error", Str(body["error"]));
        Assert.Equal("stored anyway", Str(Assert.Single(await Emulator.MessagesAsync(W.TeamId, W.AlertsId))!["text"]));
    }

    [Theory]
    [InlineData("token_revoked")]
    [InlineData("account_inactive")]
    [InlineData("channel_not_found")]
    public async Task InjectedErrorCode_ReturnsThatCodeAndStoresNothing(string code)
    {
        await Emulator.AddFailureAsync(new { method = "chat.postMessage", kind = code });

        var (response, body) = await Emulator.PostMessageAsync(Token, W.AlertsId, "x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(code, Str(body["error"]));
        Assert.Empty(await Emulator.MessagesAsync(W.TeamId, W.AlertsId));
        var call = Assert.Single(await Emulator.CallsAsync("chat.postMessage"))!;
        Assert.True(call["injected"]!.GetValue<bool>());
        Assert.Equal(code, Str(call["outcome"]));
    }

    [Fact]
    public async Task InjectedFailureWithCount_FailsThatManyCallsThenRecovers()
    {
        await Emulator.AddFailureAsync(new { method = "auth.test", kind = "http_error", count = 2 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await Emulator.ApiJsonAsync("auth.test", Token, new { })).Response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK], statuses);
    }

    [Fact]
    public async Task InjectedFailureWithDuration_EndsWhenEmulatorClockPassesIt()
    {
        await Emulator.SetClockAsync(DateTimeOffset.FromUnixTimeSeconds(1_718_000_000));
        await Emulator.AddFailureAsync(new { method = "*", kind = "http_error", durationSeconds = 30 });

        var (during, _) = await Emulator.ApiJsonAsync("auth.test", Token, new { });
        var (stillDuring, _) = await Emulator.ApiJsonAsync("auth.test", Token, new { });
        await Emulator.AdvanceAsync(31);
        var (after, _) = await Emulator.ApiJsonAsync("auth.test", Token, new { });

        Assert.Equal(HttpStatusCode.InternalServerError, during.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, stillDuring.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task InjectedFailureForOneChannel_LeavesOtherChannelsAlone()
    {
        await Emulator.AddFailureAsync(new { method = "chat.postMessage", kind = "channel_not_found", channel = W.SecretId, count = 5 });

        var (_, alerts) = await Emulator.PostMessageAsync(Token, W.AlertsId, "fine");
        var (_, secret) = await Emulator.PostMessageAsync(Token, W.SecretId, "broken");

        Assert.True(alerts["ok"]!.GetValue<bool>());
        Assert.Equal("channel_not_found", Str(secret["error"]));
    }

    [Fact]
    public async Task ClearedFailures_NoLongerApply()
    {
        await Emulator.AddFailureAsync(new { method = "auth.test", kind = "http_error", count = 5 });

        await Emulator.SendAsync(HttpMethod.Delete, "/_emulator/failures");
        var (response, _) = await Emulator.ApiJsonAsync("auth.test", Token, new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
