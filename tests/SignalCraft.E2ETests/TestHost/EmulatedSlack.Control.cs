using System.Net.Http.Json;
using System.Text.Json;

namespace SignalCraft.E2ETests.TestHost;

/// <summary>The emulator's control API for journeys that inject an outage: revoke a token, script a failure, read the calls.</summary>
public sealed partial class EmulatedSlack
{
    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"emulator POST {path} -> {(int)response.StatusCode}: {text}");
        return string.IsNullOrEmpty(text) ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    /// <summary>Scripts a failure (<c>{method, kind, error?, count?}</c>).</summary>
    public Task<JsonElement> FailAsync(object rule) => PostAsync("/_emulator/failures", rule);

    /// <summary>Web API calls of one method received, oldest first (<c>method, channel, httpStatus, ok, outcome</c>).</summary>
    public async Task<List<JsonElement>> CallsAsync(string method) =>
        (await Http.GetFromJsonAsync<JsonElement>($"/_emulator/calls?method={method}")).EnumerateArray().ToList();
}
