using SignalCraft.Tests.TestHost;

namespace SignalCraft.Tests.Notify.Slack;

/// <summary>Slack routes probed from another workspace (the isolation test hosts the emulator).</summary>
public sealed class SlackProbes : ICrossWorkspaceProbeSource
{
    public IEnumerable<CrossWorkspaceProbe> Probes =>
    [
        new("GET", "/api/integrations/slack/channels")
        {
            ArrangeAsync = async ctx =>
            {
                var connection = await SlackTestKit.ConnectedAsync(ctx.B);
                return new ProbeRequest($"/api/integrations/slack/channels?connectionId={connection.GetProperty("id").GetInt64()}");
            },
            SnapshotAsync = (ctx, _) => ctx.B.Client.GetStringAsync("/api/integrations"),
        },
        new("PUT", "/api/me/slack-link")
        {
            // A's request names B's connection: 404, and B's owner stays unlinked.
            ArrangeAsync = async ctx =>
            {
                var connection = await SlackTestKit.ConnectedAsync(ctx.B);
                return new ProbeRequest("/api/me/slack-link", new { connectionId = connection.GetProperty("id").GetInt64(), email = "alice@example.com" });
            },
            SnapshotAsync = (ctx, _) => ctx.B.Client.GetStringAsync("/api/me/slack-link"),
        },
    ];
}
