using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SlackEmulator.Tests.Infrastructure;

/// <summary>Calls the emulator's control API (/_emulator/...) and Web API the way a test would.</summary>
public sealed class EmulatorControl(HttpClient http)
{
    public async Task<JsonNode?> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
        return string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text);
    }

    public Task<JsonNode?> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body ?? new { });

    /// <summary>Installs a bot token into a team (creating the app when one is named); returns the token.</summary>
    public async Task<string> InstallAsync(string teamId, string[] scopes, string? appId = null, string[]? joinChannels = null)
    {
        if (appId is not null)
        {
            await PutAsync($"/_emulator/apps/{appId}", new { name = appId });
        }

        var install = await PostAsync($"/_emulator/teams/{teamId}/install", new { appId, scopes, joinChannels });
        return install!["token"]!.GetValue<string>();
    }

    public Task<JsonNode?> PutAsync(string path, object body) => SendAsync(HttpMethod.Put, path, body);

    public Task<JsonNode?> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task ResetAsync() => PostAsync("/_emulator/reset", new { seed = false });

    public Task SetClockAsync(DateTimeOffset now, bool frozen = true) => PutAsync("/_emulator/clock", new { now, frozen });

    public Task AdvanceAsync(double seconds) => PostAsync("/_emulator/clock/advance", new { seconds });

    public Task SetRateLimitsAsync(object settings) => PutAsync("/_emulator/rate-limits", settings);

    public Task<JsonNode?> AddFailureAsync(object rule) => PostAsync("/_emulator/failures", rule);

    public async Task<JsonArray> CallsAsync(string? method = null) =>
        (JsonArray)(await GetAsync("/_emulator/calls" + (method is null ? "" : $"?method={method}")))!;

    public async Task<JsonArray> MessagesAsync(string team, string channel, bool includeEphemeral = false) =>
        (JsonArray)(await GetAsync($"/_emulator/messages?team={team}&channel={channel}&includeEphemeral={includeEphemeral}"))!;

    /// <summary>Creates a team with users, channels and a bot token; returns the token.</summary>
    public async Task<string> CreateWorkspaceAsync(TestWorkspace w, params string[] scopes)
    {
        await PostAsync("/_emulator/teams", new { id = w.TeamId, name = "Test Workspace", domain = "test-ws" });
        await PostAsync($"/_emulator/teams/{w.TeamId}/users", new { id = w.AliceId, name = "alice", realName = "Alice Example", email = "alice@example.com" });
        await PostAsync($"/_emulator/teams/{w.TeamId}/users", new { id = w.BobId, name = "bob", email = "bob@example.com" });
        await PostAsync($"/_emulator/teams/{w.TeamId}/channels", new { id = w.AlertsId, name = "alerts", members = new[] { w.AliceId, w.BobId } });
        await PostAsync($"/_emulator/teams/{w.TeamId}/channels", new { id = w.RandomId, name = "random" });
        await PostAsync($"/_emulator/teams/{w.TeamId}/channels", new { id = w.SecretId, name = "secret", isPrivate = true });
        await PostAsync($"/_emulator/teams/{w.TeamId}/channels", new { id = w.OldId, name = "old", isArchived = true });
        var install = await PostAsync($"/_emulator/teams/{w.TeamId}/install", new
        {
            scopes = scopes.Length > 0 ? scopes : TestWorkspace.AllScopes,
            joinChannels = new[] { w.AlertsId, w.SecretId, w.OldId },
        });
        return install!["token"]!.GetValue<string>();
    }

    /// <summary>Calls a Web API method with a JSON body and bearer token.</summary>
    public async Task<(HttpResponseMessage Response, JsonObject Body)> ApiJsonAsync(string method, string? token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/{method}")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return await ReadAsync(await http.SendAsync(request, TestContext.Current.CancellationToken));
    }

    /// <summary>Calls a Web API method with a form body (token as a form field when given).</summary>
    public async Task<(HttpResponseMessage Response, JsonObject Body)> ApiFormAsync(string method, string? token, IDictionary<string, string> fields)
    {
        var all = new Dictionary<string, string>(fields);
        if (token is not null)
        {
            all["token"] = token;
        }

        using var content = new FormUrlEncodedContent(all);
        return await ReadAsync(await http.PostAsync($"/api/{method}", content, TestContext.Current.CancellationToken));
    }

    public Task<(HttpResponseMessage Response, JsonObject Body)> PostMessageAsync(string token, string channel, string text, object? extra = null)
    {
        var body = JsonSerializer.SerializeToNode(extra ?? new { })!.AsObject();
        body["channel"] = channel;
        body["text"] = text;
        return ApiJsonAsync("chat.postMessage", token, body);
    }

    private static async Task<(HttpResponseMessage, JsonObject)> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var isJson = response.Content.Headers.ContentType?.MediaType == "application/json";
        return (response, isJson ? JsonNode.Parse(text)!.AsObject() : new JsonObject { ["raw"] = text });
    }
}

/// <summary>Ids of the standard test workspace (see <see cref="EmulatorControl.CreateWorkspaceAsync"/>).</summary>
public sealed record TestWorkspace(string TeamId = "T0TEST", string AliceId = "U0ALICE", string BobId = "U0BOB",
    string AlertsId = "C0ALERTS", string RandomId = "C0RANDOM", string SecretId = "G0SECRET", string OldId = "C0OLD")
{
    public static readonly string[] AllScopes =
    [
        "chat:write", "channels:read", "groups:read", "channels:join", "channels:history", "groups:history",
        "users:read", "users:read.email",
    ];
}
