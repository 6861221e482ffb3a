using System.Net;
using System.Text;
using SlackEmulator.Tests.Infrastructure;

namespace SlackEmulator.Tests.Api;

/// <summary>Slack's calling convention: tokens, envelope, content types, headers.</summary>
public sealed class WebApiConventionsTests(EmulatorHost host) : EmulatorTest(host)
{
    [Fact]
    public async Task AuthTest_BotToken_ReturnsIdentityShapedLikeFixture()
    {
        var (response, body) = await Emulator.ApiJsonAsync("auth.test", Token, new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fixture = Fixtures.Json("auth.test.response.bot.json");
        Assert.Equal(fixture.Select(p => p.Key).Order(), body.Select(p => p.Key).Order());
        Assert.True(body["ok"]!.GetValue<bool>());
        Assert.Equal(W.TeamId, Str(body["team_id"]));
        Assert.Equal("https://test-ws.slack.com/", Str(body["url"]));
        Assert.StartsWith("B", Str(body["bot_id"]));
    }

    [Fact]
    public async Task AuthTest_NoToken_ReturnsNotAuthedWithHttp200()
    {
        var (response, body) = await Emulator.ApiJsonAsync("auth.test", null, new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(body["ok"]!.GetValue<bool>());
        Assert.Equal("not_authed", Str(body["error"]));
    }

    [Fact]
    public async Task AuthTest_UnknownToken_ReturnsInvalidAuth()
    {
        var (_, body) = await Emulator.ApiJsonAsync("auth.test", "xoxb-not-a-real-emulator-token", new { });

        Assert.Equal("invalid_auth", Str(body["error"]));
    }

    [Fact]
    public async Task AuthTest_TokenAsFormField_IsAccepted()
    {
        var (_, body) = await Emulator.ApiFormAsync("auth.test", Token, new Dictionary<string, string>());

        Assert.True(body["ok"]!.GetValue<bool>(), body.ToJsonString());
    }

    [Fact]
    public async Task AuthTest_GetWithTokenInQuery_IsAccepted()
    {
        var json = await Host.Http.GetStringAsync($"/api/auth.test?token={Token}", Ct);

        Assert.Contains("\"ok\":true", json);
    }

    [Fact]
    public async Task PostMessage_TokenOnlyInsideJsonBody_ReturnsNotAuthed()
    {
        // Slack understands a JSON body only with the token in the Authorization header.
        var (_, body) = await Emulator.ApiJsonAsync("chat.postMessage", null, new { token = Token, channel = W.AlertsId, text = "hi" });

        Assert.Equal("not_authed", Str(body["error"]));
        Assert.Empty(await Emulator.MessagesAsync(W.TeamId, W.AlertsId));
    }

    [Fact]
    public async Task PostMessage_JsonWithoutCharset_SucceedsWithMissingCharsetWarning()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat.postMessage")
        {
            Content = new StringContent($$"""{"channel":"{{W.AlertsId}}","text":"hello"}""", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Authorization = new("Bearer", Token);

        var response = await Host.Http.SendAsync(request, Ct);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();

        Assert.True(body["ok"]!.GetValue<bool>());
        Assert.Equal("missing_charset", Str(body["warning"]));
        Assert.Equal("missing_charset", Str(body["response_metadata"]!["warnings"]![0]));
        Assert.StartsWith("[WARN]", Str(body["response_metadata"]!["messages"]![0]));
    }

    [Fact]
    public async Task UnknownMethod_ReturnsUnknownMethodError()
    {
        var (response, body) = await Emulator.ApiJsonAsync("chat.doesNotExist", Token, new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unknown_method", Str(body["error"]));
    }

    [Fact]
    public async Task PostMessage_UnsupportedContentType_ReturnsInvalidPostType()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat.postMessage")
        {
            Content = new StringContent("<xml/>", Encoding.UTF8, "application/xml"),
        };
        request.Headers.Authorization = new("Bearer", Token);

        var response = await Host.Http.SendAsync(request, Ct);

        Assert.Contains("invalid_post_type", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task AnyMethod_WithToken_ReturnsScopeHeaders()
    {
        var (response, _) = await Emulator.ApiJsonAsync("chat.postMessage", Token, new { channel = W.AlertsId, text = "x" });

        Assert.Equal(string.Join(',', TestWorkspace.AllScopes), response.Headers.GetValues("x-oauth-scopes").Single());
        Assert.Equal("chat:write", response.Headers.GetValues("x-accepted-oauth-scopes").Single());
    }

    [Fact]
    public async Task RevokedToken_ReturnsTokenRevoked()
    {
        await Emulator.PostAsync("/_emulator/tokens/revoke", new { token = Token });

        var (_, body) = await Emulator.ApiJsonAsync("auth.test", Token, new { });

        Assert.Equal("token_revoked", Str(body["error"]));
    }

    [Fact]
    public async Task DeactivatedToken_ReturnsAccountInactive()
    {
        await Emulator.PostAsync("/_emulator/tokens/revoke", new { token = Token, error = "account_inactive" });

        var (_, body) = await Emulator.PostMessageAsync(Token, W.AlertsId, "hello");

        Assert.Equal("account_inactive", Str(body["error"]));
    }
}
