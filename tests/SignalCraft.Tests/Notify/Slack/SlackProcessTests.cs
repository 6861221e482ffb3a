using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SignalCraft.Data;
using SignalCraft.Notify;
using SignalCraft.Tests.Integrations;
using SignalCraft.Tests.Jobs;
using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Notify.Slack;

/// <summary>
/// SignalCraft killed (SIGKILL) after Slack stored the message but before the answer came back: the attempt is on record as
/// started without an outcome, and the process that picks the job up adopts the message from the channel's history instead
/// of posting a second one.
/// </summary>
[Collection(AppProcessCollection.Name)]
public sealed class SlackProcessTests
{
    [Fact]
    public async Task SigKillBetweenPostAndRecord_RestartAdoptsTheMessage_NoDuplicate()
    {
        await using var emulator = new SlackEmulatorHost(maxHangSeconds: 10);
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        // The test process only takes requests (no worker); the worker processes run every job, on the real clock.
        var slack = emulator.AppSettings(new Dictionary<string, string?> { ["Slack:Timeout"] = "00:00:03" });
        await using var app = JobTestHelpers.StartWithoutWorker(db, new Dictionary<string, string?>(slack) { ["Timers:ArmRetentionOnStart"] = "false" });
        app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var owner = await app.RegisterAsync("owner@example.com", "Acme");
        var integration = await SentryIntegrationApi.CreateAsync(owner);
        await SlackTestKit.ConnectedAsync(owner);
        await SlackTestKit.CreateRuleAsync(owner, "#alerts");
        // Slack stores the post, then hangs: the worker is waiting for the answer when it dies.
        await emulator.FailAsync(new { method = "chat.postMessage", kind = "timeout", apply = true, hangSeconds = 10 });
        var settings = new Dictionary<string, string?>(slack)
        {
            ["Jobs:Workers"] = "2", ["Jobs:PollInterval"] = "00:00:00.200", ["Jobs:JobTimeout"] = "00:00:14", ["Jobs:RescueAfter"] = "00:00:14",
            ["Jobs:MaintenanceInterval"] = "00:00:01", ["Timers:ArmRetentionOnStart"] = "false",
        };
        await using var victim = AppProcess.Start("victim", db, settings);
        await victim.WaitForOutputAsync("Listening for job notifications", TimeSpan.FromSeconds(30));

        var groupId = await SlackTestKit.SendAlertAsync(owner, integration);
        var stored = (await SlackTestKit.WaitForMessagesAsync(emulator, 1, timeout: TimeSpan.FromSeconds(30))).Single();
        victim.Kill();

        var log = await LogAsync(app, groupId);
        Assert.Equal((NotificationStatus.Started, (DateTime?)null), (log.Single().Status, log.Single().FinishedAt));
        await using var survivor = AppProcess.Start("survivor", db, settings);
        var watch = Stopwatch.StartNew();
        while (!(await LogAsync(app, groupId)).Any(l => l.Status == NotificationStatus.Sent))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), "the rescued job did not finish:\n" + survivor.Output);
            await Task.Delay(200);
        }

        Assert.Single(await emulator.MessagesAsync());
        Assert.Single(await emulator.CallsAsync("chat.postMessage"));
        Assert.NotEmpty(await emulator.CallsAsync("conversations.history"));
        var sent = (await LogAsync(app, groupId)).Single(l => l.Status == NotificationStatus.Sent);
        Assert.Equal(stored.GetProperty("ts").GetString(), sent.MessageRef);
        Assert.False(sent.PossibleDuplicate);
    }

    private static Task<List<NotificationLog>> LogAsync(SignalCraftApp app, long groupId) => app.WithScopeAsync(sp =>
        sp.GetRequiredService<SignalCraftDbContext>().Set<NotificationLog>().AsNoTracking().Where(l => l.GroupId == groupId).OrderBy(l => l.Id).ToListAsync());
}
