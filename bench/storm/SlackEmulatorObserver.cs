using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SignalCraft.Bench.Storm;

/// <summary>
/// The Slack emulator (tools/SlackEmulator) as its own process, rate limits on (1 post/s per channel, Tier 3 edits),
/// seeded with the demo team. SignalCraft connects to it through OAuth as an admin would; the storm's channels are
/// created through its control API, and what people would see is read back from its inspection endpoints.
/// </summary>
public sealed partial class SlackEmulatorObserver : IPageObserver
{
    private const string Team = "T0DEMO";
    private readonly ChildProcess _process;
    private readonly HttpClient _http;
    private readonly Dictionary<string, string> _channelIds = new();

    private SlackEmulatorObserver(ChildProcess process, Uri url)
    {
        _process = process;
        Url = url;
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Kind => "Slack emulator, rate limits on";
    public Uri Url { get; }
    public ChildProcess Process => _process;

    /// <summary>Settings that point SignalCraft at this emulator, with the seeded app's credentials.</summary>
    public IReadOnlyDictionary<string, string> AppSettings => new Dictionary<string, string>
    {
        ["Slack__ApiBaseUrl"] = new Uri(Url, "/api/").ToString(),
        ["Slack__AuthorizeUrl"] = new Uri(Url, "/oauth/v2/authorize").ToString(),
        ["Slack__ClientId"] = "emulator-client-id",
        ["Slack__ClientSecret"] = "emulator-client-secret",
        ["Slack__SigningSecret"] = "emulator-signing-secret",
    };

    public static SlackEmulatorObserver Start(string emulatorDll)
    {
        var port = ChildProcess.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var process = ChildProcess.Start("slack-emulator", ChildProcess.DotnetHost, [emulatorDll, "--urls", url.ToString().TrimEnd('/')],
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Emulator__MaxCallLogEntries"] = "1000000",
                ["Logging__LogLevel__Default"] = "Warning",
            }, Path.GetDirectoryName(emulatorDll));
        return new SlackEmulatorObserver(process, url);
    }

    public Task WaitReadyAsync() => _process.WaitForHttpAsync(new Uri(Url, "_emulator/clock").ToString(), TimeSpan.FromSeconds(30));

    /// <summary>Creates the public channels the rules will name.</summary>
    public async Task CreateChannelsAsync(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            var created = await SignalCraftInstance.Expect(await _http.PostAsJsonAsync($"_emulator/teams/{Team}/channels", new { name }),
                $"create channel {name}");
            _channelIds[name] = created.GetProperty("id").GetString()!;
        }
    }

    /// <summary>
    /// Connects Slack the way a browser does: SignalCraft's authorize URL, the emulator's install page, Allow, and the
    /// redirect back to SignalCraft's callback.
    /// </summary>
    public async Task ConnectAsync(SignalCraftInstance app)
    {
        var started = await SignalCraftInstance.Expect(await app.Api.PostAsync("api/integrations/slack/connect", null), "start Slack connect");
        var authorizeUrl = started.GetProperty("authorizeUrl").GetString()!;
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var page = await browser.GetStringAsync(authorizeUrl);
        var form = HiddenInput().Matches(page).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        form["installer"] = WebUtility.HtmlDecode(FirstOption().Match(page).Groups[1].Value);
        form["decision"] = "allow";
        using var allowed = await browser.PostAsync(new Uri(new Uri(authorizeUrl), "/oauth/v2/authorize"), new FormUrlEncodedContent(form));
        if (allowed.StatusCode != HttpStatusCode.Redirect || allowed.Headers.Location is not { } callback)
        {
            throw new InvalidOperationException($"The emulator's install page answered {(int)allowed.StatusCode}, not a redirect.");
        }
        using var done = await browser.GetAsync(callback);
        if (done.StatusCode != HttpStatusCode.Redirect || done.Headers.Location?.ToString().Contains("slack=connected") != true)
        {
            throw new InvalidOperationException($"SignalCraft's Slack callback answered {(int)done.StatusCode} {done.Headers.Location}: " +
                await done.Content.ReadAsStringAsync());
        }
    }

    public object Target(string channel) => new { kind = "slack", channel = "#" + channel };

    public async Task<IReadOnlyList<Page>> PagesAsync(IReadOnlyList<string> channels)
    {
        var pages = new List<Page>();
        foreach (var channel in channels)
        {
            var messages = await _http.GetFromJsonAsync<JsonElement>($"_emulator/messages?team={Team}&channel={_channelIds[channel]}");
            foreach (var m in messages.EnumerateArray())
            {
                if (m.GetProperty("threadTs").ValueKind != JsonValueKind.Null)
                {
                    continue;
                }
                var edits = m.TryGetProperty("history", out var history) && history.ValueKind == JsonValueKind.Array ? history.GetArrayLength() : 0;
                pages.Add(new Page(channel, m.GetProperty("text").GetString() ?? "", m.GetProperty("postedAt").GetDateTimeOffset().UtcDateTime, edits));
            }
        }
        return pages;
    }

    public async Task<int> UpdateCallsAsync() =>
        (await _http.GetFromJsonAsync<JsonElement>("_emulator/calls?method=chat.update")).GetArrayLength();

    /// <summary>chat.postMessage calls answered 429 (the channel's posting limit).</summary>
    public async Task<int> RateLimitedPostsAsync() =>
        (await _http.GetFromJsonAsync<JsonElement>("_emulator/calls?method=chat.postMessage")).EnumerateArray()
            .Count(c => c.GetProperty("httpStatus").GetInt32() == 429);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<option value=\"([^\"]+)\"")]
    private static partial Regex FirstOption();
}
