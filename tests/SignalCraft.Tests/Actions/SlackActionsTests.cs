using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SignalCraft.Actions;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Tests.Notify.Slack;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Actions;

/// <summary>Clicks on the emulator's messages (its click API runs the same code as its channel page), over HTTP.</summary>
public sealed class SlackActionsTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AckClick_AcksGroupAndMessageShowsWho_SecondClickChangesNothingAndSaysWho(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        var (groupId, ts) = await s.AlertAsync();

        var click = await ClickAsync(s, ts, SlackMessageBuilderIds.Ack, "U0ALICE");
        Assert.Equal(200, click.GetProperty("status").GetInt32());
        Assert.False(click.GetProperty("slow").GetBoolean());
        var group = await Eventually.WaitAsync(() => s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{groupId}"),
            g => g.GetProperty("group").GetProperty("status").GetString() == "acknowledged", "the group acknowledged");
        Assert.Contains(Timeline(group), t => t == "Acknowledged by alice via Slack");
        var message = await Eventually.WaitAsync(() => s.Emulator.MessagesAsync(), m => SlackTestKit.BlockText(m[0]).Contains("Acknowledged* by alice via Slack"),
            "the message showing who acknowledged");
        Assert.DoesNotContain("Ack", SlackTestKit.Buttons(message[0])); // nothing left to acknowledge
        Assert.Contains("Resolve", SlackTestKit.Buttons(message[0]));

        // A second click (an Ack button still on screen, or Slack retrying) leaves one entry and tells the clicker why.
        Assert.Equal(HttpStatusCode.OK, (await ReplayAsync(s, click, SlackMessageBuilderIds.Ack)).StatusCode);
        var ephemeral = await Eventually.WaitAsync(() => EphemeralAsync(s), e => e.Count == 1, "the ephemeral answer");
        Assert.StartsWith("Already acknowledged by alice via Slack", ephemeral[0].GetProperty("text").GetString());
        Assert.Equal("U0ALICE", ephemeral[0].GetProperty("visibleTo").GetString()); // only the clicker sees it
        group = await s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{groupId}");
        Assert.Single(Timeline(group), t => t.StartsWith("Acknowledged", StringComparison.Ordinal));
        Assert.Single(await s.Emulator.MessagesAsync());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SnoozeThenResolveClicks_ApplyAsTheApiDoes_ClickAfterResolveChangesNothing(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        var (groupId, ts) = await s.AlertAsync();
        var now = s.App.Clock.GetUtcNow().UtcDateTime;

        var snoozeClick = await ClickAsync(s, ts, "sc_snooze_240", "U0ALICE");
        var group = await Eventually.WaitAsync(() => s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{groupId}"),
            g => g.GetProperty("group").GetProperty("status").GetString() == "snoozed", "the group snoozed");
        Assert.Equal(now.AddHours(4), group.GetProperty("group").GetProperty("snoozedUntil").GetDateTime().ToUniversalTime());
        Assert.Contains(Timeline(group), t => t == "Snoozed for 4 h by alice via Slack");
        await Eventually.WaitAsync(() => s.Emulator.MessagesAsync(), m => SlackTestKit.BlockText(m[0]).Contains("Snoozed* until"), "the message showing the snooze");

        await ClickAsync(s, ts, SlackMessageBuilderIds.Resolve, "U0BOB");
        group = await Eventually.WaitAsync(() => s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{groupId}"),
            g => g.GetProperty("group").GetProperty("status").GetString() == "resolved", "the group resolved");
        Assert.Contains(Timeline(group), t => t == "Resolved by bob via Slack");
        var message = await Eventually.WaitAsync(() => s.Emulator.MessagesAsync(), m => SlackTestKit.BlockText(m[0]).Contains("*Resolved*"),
            "the message showing the resolve");
        Assert.Equal(["Open in SignalCraft", "View in source", "Runbook"], SlackTestKit.Buttons(message[0]));

        // A click on a button of the earlier version (resolved meanwhile): nothing changes, the clicker is told.
        var entries = Timeline(group).Count;
        await ReplayAsync(s, snoozeClick, SlackMessageBuilderIds.Ack);
        var ephemeral = await Eventually.WaitAsync(() => EphemeralAsync(s), e => e.Count == 1, "the ephemeral answer");
        Assert.StartsWith("Resolved by bob via Slack at ", ephemeral[0].GetProperty("text").GetString());
        group = await s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{groupId}");
        Assert.Equal(("resolved", entries), (group.GetProperty("group").GetProperty("status").GetString(), Timeline(group).Count));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Click_FromAnotherTeamOrBadlySigned_ChangesNothing(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        var (groupId, ts) = await s.AlertAsync();

        // The same channel and ts, but from a team this workspace never connected: acknowledged to Slack, nothing applied.
        var payload = JsonSerializer.Serialize(new
        {
            type = "block_actions", team = new { id = "T0OTHER" }, user = new { id = "U0MALLORY", name = "mallory", team_id = "T0OTHER" },
            container = new { type = "message", message_ts = ts, channel_id = SlackEmulatorHost.Alerts },
            actions = new[] { new { type = "button", action_id = "sc_ack", action_ts = "1.2" } },
            response_url = "http://127.0.0.1:9/none",
        });
        var foreign = await PostSignedAsync(s, "payload=" + Uri.EscapeDataString(payload));
        Assert.Equal(HttpStatusCode.OK, foreign.StatusCode);
        Assert.Equal("", await foreign.Content.ReadAsStringAsync());

        foreach (var sabotage in new[] { "bad_signature", "stale_timestamp", "tampered_body" })
        {
            var refused = await s.Emulator.PostAsync("/_emulator/click", new
            {
                teamId = SlackEmulatorHost.TeamId, channel = SlackEmulatorHost.Alerts, ts, actionId = "sc_ack", userId = "U0ALICE", sabotage,
            });
            Assert.Equal(401, refused.GetProperty("status").GetInt32());
        }
        using var unsigned = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await unsigned.PostAsync(new Uri(s.Owner.Client.BaseAddress!, SlackActionsEndpoint.Path),
            new StringContent("payload=" + Uri.EscapeDataString(payload), Encoding.UTF8, "application/x-www-form-urlencoded"))).StatusCode);

        await s.QuietAsync();
        var group = await s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{groupId}");
        Assert.Equal("open", group.GetProperty("group").GetProperty("status").GetString());
        Assert.DoesNotContain(Timeline(group), t => t.StartsWith("Acknowledged", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Click_TwoWorkspacesShareTheTeam_OnlyTheMessagesOwnWorkspaceChanges(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        var other = await s.App.RegisterAsync("other@example.com", "Other");
        var otherIntegration = await Integrations.SentryIntegrationApi.CreateAsync(other);
        await SlackTestKit.ConnectedAsync(other);
        await SlackTestKit.CreateRuleAsync(other, "#alerts");
        var (groupId, ts) = await s.AlertAsync();
        var otherGroup = await SlackTestKit.SendAlertAsync(other, otherIntegration);
        await s.QuietAsync();
        s.App.Clock.Advance(TimeSpan.FromSeconds(1)); // one post per second in a channel, whichever workspace posts
        await SlackTestKit.WaitForMessagesAsync(s.Emulator, 2);

        await ClickAsync(s, ts, SlackMessageBuilderIds.Ack, "U0ALICE");

        await Eventually.WaitAsync(() => s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{groupId}"),
            g => g.GetProperty("group").GetProperty("status").GetString() == "acknowledged", "the clicked message's group acknowledged");
        await s.QuietAsync();
        Assert.Equal("open", (await other.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{otherGroup}")).GetProperty("group").GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task SlackLink_ByEmailAndByClick_RecordsThePersonAndMentionsTheLinkedAssignee(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider, escalation: [new { afterMinutes = 10, mention = "assignee" }]);
        await s.Emulator.PostAsync($"/_emulator/teams/{SlackEmulatorHost.TeamId}/users", new { id = "U0OWNER", name = "dana", email = "owner@example.com" });
        Assert.False((await s.Owner.Client.GetFromJsonAsync<JsonElement>("/api/me/slack-link"))[0].GetProperty("linked").GetBoolean());
        var linked = await s.Owner.Client.PutAsJsonAsync("/api/me/slack-link", new { });
        await linked.AssertStatusAsync(HttpStatusCode.OK);
        var link = (await linked.Content.ReadFromJsonAsync<JsonElement>())[0];
        Assert.Equal(("U0OWNER", "email"), (link.GetProperty("slackUserId").GetString(), link.GetProperty("linkedBy").GetString()));
        // The profile page reads the same link.
        var profile = await s.App.WithScopeAsync(sp => sp.GetServices<SignalCraft.Accounts.IUserSlackLinks>().Single()
            .FindAsync(s.Owner.WorkspaceId, s.Owner.UserId, CancellationToken.None));
        Assert.Equal(("U0OWNER", "SignalCraft Demo"), (profile!.SlackUserId, profile.TeamName));
        Assert.Contains("No Slack user", await (await s.Owner.Client.PutAsJsonAsync("/api/me/slack-link", new { email = "nobody@example.com" }))
            .AssertProblemAsync((HttpStatusCode)422));
        // alice@example.com is alice in Slack: her first click links her.
        var alice = await s.Owner.InviteAndJoinAsync(SignalCraft.Accounts.WorkspaceRole.Member, "alice@example.com");

        var (groupId, ts) = await s.AlertAsync();
        (await s.Owner.Client.PostAsJsonAsync($"/api/alert-groups/{groupId}/assign", new { userId = s.Owner.UserId })).EnsureSuccessStatusCode();
        await ClickAsync(s, ts, "sc_snooze_60", "U0ALICE");
        var group = await Eventually.WaitAsync(() => s.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/alert-groups/{groupId}"),
            g => g.GetProperty("group").GetProperty("status").GetString() == "snoozed", "the group snoozed");
        var byAlice = group.GetProperty("timeline").EnumerateArray().Single(t => t.GetProperty("kind").GetString() == "snoozed");
        Assert.Equal("alice@example.com via Slack", byAlice.GetProperty("actor").GetString()); // the member, not the Slack name
        Assert.Equal("click", (await alice.Client.GetFromJsonAsync<JsonElement>("/api/me/slack-link"))[0].GetProperty("linkedBy").GetString());

        // The snooze ends (no new events), and the escalation it had moved fires: the linked assignee is mentioned.
        await s.QuietAsync();
        s.App.Clock.Advance(TimeSpan.FromMinutes(61));
        await s.QuietAsync();
        s.App.Clock.Advance(TimeSpan.FromMinutes(10));
        var reply = await Eventually.WaitAsync(() => s.Emulator.RepliesAsync(ts), r => r.Count >= 1, "the escalation in the thread");
        Assert.StartsWith("Escalated", reply[0].GetProperty("text").GetString());
        Assert.EndsWith("<@U0OWNER>", reply[0].GetProperty("text").GetString());
    }

    internal static async Task<SlackFailureTests.Scenario> StartAsync(DatabaseProvider provider, object[]? escalation = null)
    {
        var s = await SlackFailureTests.Scenario.StartAsync(provider, escalation: escalation);
        await s.Emulator.PutAsync("/_emulator/apps/A0EMULATOR", new { requestUrl = new Uri(s.Owner.Client.BaseAddress!, SlackActionsEndpoint.Path).ToString() });
        return s;
    }

    internal static async Task<JsonElement> ClickAsync(SlackFailureTests.Scenario s, string ts, string actionId, string userId)
    {
        var click = await s.Emulator.PostAsync("/_emulator/click", new
        {
            teamId = SlackEmulatorHost.TeamId, channel = SlackEmulatorHost.Alerts, ts, actionId, userId,
        });
        Assert.Equal(200, click.GetProperty("status").GetInt32());
        return click;
    }

    /// <summary>
    /// Another click on a button of the version of the message an earlier click saw (a double click, or a screen not yet
    /// refreshed): that click's payload with a new action and action_ts, signed as Slack signs, with its response_url.
    /// </summary>
    internal static Task<HttpResponseMessage> ReplayAsync(SlackFailureTests.Scenario s, JsonElement click, string actionId)
    {
        var payload = System.Text.Json.Nodes.JsonNode.Parse(click.GetProperty("payload").GetRawText())!;
        payload["actions"]![0]!["action_id"] = actionId;
        payload["actions"]![0]!["action_ts"] = $"{s.App.Clock.GetUtcNow().ToUnixTimeSeconds()}.{Random.Shared.Next(100000, 999999)}";
        return PostSignedAsync(s, "payload=" + Uri.EscapeDataString(payload.ToJsonString()));
    }

    private static async Task<HttpResponseMessage> PostSignedAsync(SlackFailureTests.Scenario s, string body)
    {
        var timestamp = s.App.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, SlackActionsEndpoint.Path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackSignature.Sign(SlackEmulatorHost.SigningSecret, timestamp, Encoding.UTF8.GetBytes(body)));
        using var client = s.App.CreateClient();
        return await client.SendAsync(request);
    }

    private static async Task<List<JsonElement>> EphemeralAsync(SlackFailureTests.Scenario s) =>
        (await s.Emulator.SendAsync(HttpMethod.Get, $"/_emulator/messages?team={SlackEmulatorHost.TeamId}&channel={SlackEmulatorHost.Alerts}&includeEphemeral=true"))
        .EnumerateArray().Where(m => m.GetProperty("ephemeral").GetBoolean()).ToList();

    internal static List<string> Timeline(JsonElement group) =>
        group.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("text").GetString()!).ToList();
}

internal static class SlackMessageBuilderIds
{
    public const string Ack = SignalCraft.Notify.Slack.SlackMessageBuilder.AckAction;
    public const string Resolve = SignalCraft.Notify.Slack.SlackMessageBuilder.ResolveAction;
}
