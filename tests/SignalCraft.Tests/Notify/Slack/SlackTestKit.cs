using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SignalCraft.Sources.Sentry;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.Sources.Sentry;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Notify.Slack;

/// <summary>What a Slack test does as a user would: connect through the emulator's OAuth page, create rules, send alerts.</summary>
public static partial class SlackTestKit
{
    /// <summary>
    /// Connects Slack the way a browser does: ask SignalCraft for the authorize URL, open the emulator's install page,
    /// press Allow, and follow the redirect to SignalCraft's callback. Returns the callback's answer.
    /// </summary>
    public static async Task<HttpResponseMessage> ConnectAsync(TestUser admin, string decision = "allow")
    {
        var authorizeUrl = await StartConnectAsync(admin);
        var callback = await AuthorizeAsync(authorizeUrl, decision);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        return await browser.GetAsync(callback);
    }

    public static async Task<string> StartConnectAsync(TestUser admin)
    {
        var response = await admin.Client.PostAsync("/api/integrations/slack/connect", null);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizeUrl").GetString()!;
    }

    /// <summary>Submits the emulator's install page; returns where Slack sends the browser (SignalCraft's callback).</summary>
    public static async Task<Uri> AuthorizeAsync(string authorizeUrl, string decision = "allow")
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(authorizeUrl);
        var form = HiddenInput().Matches(page).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        form["installer"] = WebUtility.HtmlDecode(FirstOption().Match(page).Groups[1].Value);
        form["decision"] = decision;
        var answer = await browser.PostAsync(new Uri(new Uri(authorizeUrl), "/oauth/v2/authorize"), new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        return answer.Headers.Location!;
    }

    /// <summary>Connects and returns the connection as listed by <c>GET /api/integrations</c>.</summary>
    public static async Task<JsonElement> ConnectedAsync(TestUser admin)
    {
        var callback = await ConnectAsync(admin);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        return await SlackConnectionAsync(admin);
    }

    public static async Task<JsonElement> SlackConnectionAsync(TestUser admin) =>
        (await admin.Client.GetFromJsonAsync<JsonElement>("/api/integrations")).EnumerateArray().Single(i => i.GetProperty("type").GetString() == "slack");

    /// <summary>A rule sending production alerts of at least <paramref name="minSeverity"/> to a Slack channel.</summary>
    public static async Task<JsonElement> CreateRuleAsync(TestUser admin, string channel = "#alerts", string mention = "auto",
        string minSeverity = "med", object[]? escalation = null, string name = "prod to Slack")
    {
        var response = await admin.Client.PostAsJsonAsync("/api/routing-rules", new
        {
            name,
            conditions = new { environments = new[] { "production" }, minSeverity },
            actions = new
            {
                targets = new[] { new { kind = "slack", channel } }, mention, escalation = escalation ?? [],
                runbookUrl = "https://runbooks.example.com/orders",
            },
        });
        await response.AssertStatusAsync(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Sends a Sentry alert; <paramref name="issueId"/> makes a different incident, <paramref name="eventId"/> another occurrence.</summary>
    public static async Task<long> SendAlertAsync(TestUser user, SentryIntegrationApi.Created integration, string fixture = "event_alert.error.production",
        string? issueId = null, string? eventId = null)
    {
        var request = SentryFixture.Load(fixture);
        var text = Encoding.UTF8.GetString(request.Body);
        using (var doc = JsonDocument.Parse(request.Body))
        {
            var e = doc.RootElement.GetProperty("data").GetProperty("event");
            if (issueId is not null)
            {
                text = text.Replace(e.GetProperty("issue_id").GetString()!, issueId, StringComparison.Ordinal);
            }
            text = text.Replace(e.GetProperty("event_id").GetString()!, eventId ?? Guid.NewGuid().ToString("N"), StringComparison.Ordinal);
        }
        var body = Encoding.UTF8.GetBytes(text);
        var headers = new Dictionary<string, string>(request.Headers.ToDictionary(), StringComparer.OrdinalIgnoreCase)
        {
            ["Sentry-Hook-Signature"] = SentrySignatureVerifier.Sign(body, SentryFixture.ClientSecret),
            ["Request-ID"] = Guid.NewGuid().ToString("N"),
        };
        using var client = user.App.CreateClient();
        var response = await SentryWebhookClient.PostAsync(client, integration.Path, new FixtureRequest(request.Name, headers, body), user.App);
        await response.AssertStatusAsync(HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("groupId").GetInt64();
    }

    /// <summary>Waits until the channel holds <paramref name="count"/> top-level messages (or more) and returns them.</summary>
    public static Task<List<JsonElement>> WaitForMessagesAsync(SlackEmulatorHost emulator, int count, string channel = SlackEmulatorHost.Alerts,
        TimeSpan? timeout = null) =>
        Eventually.WaitAsync(() => emulator.MessagesAsync(channel), m => m.Count >= count, $"{count} message(s) in {channel}", timeout);

    /// <summary>The texts of a message's buttons.</summary>
    public static List<string> Buttons(JsonElement message) => message.GetProperty("blocks").EnumerateArray()
        .Where(b => b.GetProperty("type").GetString() == "actions")
        .SelectMany(b => b.GetProperty("elements").EnumerateArray()).Select(e => e.GetProperty("text").GetProperty("text").GetString()!).ToList();

    /// <summary>All the text of a message's blocks, for "what does the message say" assertions.</summary>
    public static string BlockText(JsonElement message) => message.GetProperty("blocks").GetRawText();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<option value=\"([^\"]+)\"")]
    private static partial Regex FirstOption();
}
