using Microsoft.EntityFrameworkCore;
using SignalCraft.Data;
using SignalCraft.Notify.Slack;

namespace SignalCraft.Integrations.Slack;

/// <summary>What "Send test message" did, in words a person can act on (never a token).</summary>
public sealed record SlackTestResult(bool Sent, string Message);

/// <summary>
/// "Send test message": posts a short message to a channel picked by name, through the connection's own token and
/// the same Web API client as notifications, so a success proves token, scopes and channel access. A refused token
/// turns the connection unhealthy, as it would during delivery.
/// </summary>
public sealed class SlackTestMessage(SignalCraftDbContext db, SlackChannelDirectory channels, SlackTokens tokens, SlackApiClient slack)
{
    public const string Text = "SignalCraft test message: alerts routed to this channel will arrive here.";

    /// <summary>Null when the connection is not in this workspace.</summary>
    public async Task<SlackTestResult?> SendAsync(long connectionId, string channelName, string sentBy, CancellationToken ct)
    {
        var connection = await db.Set<SlackConnection>().FirstOrDefaultAsync(c => c.Id == connectionId, ct);
        if (connection is null)
        {
            return null;
        }
        if (string.IsNullOrWhiteSpace(channelName))
        {
            return new SlackTestResult(false, "Choose a channel first.");
        }
        var (channel, failure) = await channels.FindAsync(connection, channelName, ct);
        if (failure is not null)
        {
            return new SlackTestResult(false, failure.Detail);
        }
        if (channel is null)
        {
            return new SlackTestResult(false, $"No channel #{channelName.Trim().TrimStart('#')} in {connection.TeamName ?? connection.TeamId} (archived channels are left out).");
        }
        var token = await tokens.GetAsync(connection, false, ct);
        if (token is null)
        {
            return new SlackTestResult(false, $"The Slack connection needs reconnecting: {connection.LastError}");
        }
        var call = await slack.PostJsonAsync("chat.postMessage", token, new
        {
            channel = channel.Id,
            text = $"{Text} (sent by {sentBy})",
            unfurl_links = false,
        }, ct);
        if (call.Ok)
        {
            return new SlackTestResult(true, $"Test message posted to #{channel.Name} in {connection.TeamName ?? connection.TeamId}.");
        }
        if (call.Error is { } error && SlackErrorClassifier.AuthErrors.Contains(error))
        {
            await tokens.MarkAsync(connection, SlackConnectionStatus.Unhealthy, $"Slack refused the token ({error}): reconnect Slack", ct);
        }
        var hint = call.Error switch
        {
            "not_in_channel" => $" Invite the SignalCraft app to #{channel.Name} in Slack (/invite @SignalCraft) and try again.",
            "channel_not_found" => " The channel is private or gone; invite the bot to it first.",
            "ratelimited" or "rate_limited" => " Slack is rate limiting; try again in a minute.",
            _ => "",
        };
        return new SlackTestResult(false, $"Slack did not post the message ({call.Describe()}).{hint}");
    }
}
