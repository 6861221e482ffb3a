using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Notify;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Notify.Slack;

public sealed class SlackDeliveryTests
{
    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task RoutedSentryAlert_OneMessageWithButtons_FiftyMoreEventsEditTheSameMessage(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var app = new SignalCraftApp(db);
        await using var emulator = new SlackEmulatorHost(app.Clock);
        app.Configure(emulator.AppSettings());
        app.Start();
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        await SlackTestKit.ConnectedAsync(owner);
        await SlackTestKit.CreateRuleAsync(owner, "#alerts");

        var groupId = await SlackTestKit.SendAlertAsync(owner, integration);
        var message = (await SlackTestKit.WaitForMessagesAsync(emulator, 1)).Single();

        Assert.Empty(await emulator.MessagesAsync(SlackEmulatorHost.Oncall));
        var text = message.GetProperty("text").GetString()!;
        Assert.StartsWith("[HIGH] ", text);
        Assert.EndsWith("<!here>", text); // mention "auto" for a high alert, in the text that notifies
        Assert.Equal(["Ack", "Snooze 1 h", "Snooze 4 h", "Snooze 24 h", "Resolve", "Open in SignalCraft", "View in source", "Runbook"],
            SlackTestKit.Buttons(message));
        Assert.Contains($"/alerts/{groupId}", SlackTestKit.BlockText(message));
        Assert.Contains("runbooks.example.com/orders", SlackTestKit.BlockText(message));
        var metadata = message.GetProperty("metadata");
        Assert.Equal("signalcraft_alert", metadata.GetProperty("event_type").GetString());
        Assert.Equal(groupId, metadata.GetProperty("event_payload").GetProperty("group_id").GetInt64());

        for (var i = 0; i < 50; i++)
        {
            await SlackTestKit.SendAlertAsync(owner, integration);
        }
        // The coalescing update waits for the update interval (30 s) after the post; nothing is edited before.
        Assert.Empty(await emulator.CallsAsync("chat.update"));
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        var updated = await Eventually.WaitAsync(() => emulator.MessagesAsync(), m => m.Count == 1
            && m[0].GetProperty("text").GetString()!.Contains("51 events") && m[0].GetProperty("replies").GetArrayLength() == 1,
            "the message edited to 51 events, and the raise's thread reply");

        Assert.Single(updated);
        Assert.Equal(message.GetProperty("ts").GetString(), updated[0].GetProperty("ts").GetString());
        Assert.Contains("*Events*\\n51", SlackTestKit.BlockText(updated[0]));
        Assert.StartsWith("[CRITICAL]", updated[0].GetProperty("text").GetString());
        // The production spike raised it to critical: an edit wakes nobody, so a broadcast thread reply carries the mention.
        var reply = (await emulator.RepliesAsync(updated[0].GetProperty("ts").GetString()!)).Single();
        Assert.True(reply.GetProperty("replyBroadcast").GetBoolean());
        Assert.StartsWith("Severity raised to critical", reply.GetProperty("text").GetString());
        Assert.EndsWith("<!here>", reply.GetProperty("text").GetString());
        Assert.Equal(2, (await emulator.CallsAsync("chat.postMessage")).Count);
        // Within the update budget: the 50 events became at most two edits (the production spike's raise may add one).
        Assert.InRange((await emulator.CallsAsync("chat.update")).Count, 1, 2);
        var log = await Eventually.WaitAsync(() => app.WithScopeAsync(sp => sp.GetRequiredService<SignalCraftDbContext>().Set<NotificationLog>()
            .OrderBy(l => l.Id).ToListAsync()), l => l.All(r => r.FinishedAt != null), "every attempt's outcome");
        Assert.Equal("opened", log[0].Kind);
        Assert.Equal(message.GetProperty("ts").GetString(), log[0].MessageRef);
        Assert.All(log, l => Assert.Equal(NotificationStatus.Sent, l.Status));

        // The rule's target is healthy, as the API shows.
        var rules = await owner.Client.GetFromJsonAsync<JsonElement>("/api/routing-rules");
        Assert.Equal("ok", rules[0].GetProperty("actions").GetProperty("targets")[0].GetProperty("status").GetString());
    }
}
