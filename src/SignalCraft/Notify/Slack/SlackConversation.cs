using SignalCraft.Integrations.Slack;

namespace SignalCraft.Notify.Slack;

/// <summary>
/// Calls Slack for one connection with its token, recovering on the way what can be recovered without a person:
/// <c>token_expired</c> → refresh and call again; <c>not_in_channel</c> → <c>conversations.join</c> and call again.
/// A refused token turns the connection unhealthy with the reason.
/// </summary>
public sealed class SlackConversation(SlackApiClient slack, SlackTokens tokens)
{
    public async Task<SlackCall> CallAsync(SlackConnection connection, string method, string channel, Func<string, Task<SlackCall>> call,
        CancellationToken ct)
    {
        var token = await tokens.GetAsync(connection, false, ct);
        if (token is null)
        {
            return Refused(method, "token_expired");
        }
        var result = await call(token);
        if (result.Error == "token_expired" && await tokens.GetAsync(connection, true, ct) is { } fresh)
        {
            token = fresh;
            result = await call(token);
        }
        if (result.Error == "not_in_channel")
        {
            var join = await slack.PostJsonAsync("conversations.join", token, new { channel }, ct);
            if (join.Ok)
            {
                result = await call(token);
            }
        }
        if (result.Error is { } error && SlackErrorClassifier.AuthErrors.Contains(error))
        {
            await tokens.MarkAsync(connection, SlackConnectionStatus.Unhealthy, $"Slack refused the token ({error}): reconnect Slack", ct);
        }
        return result;
    }

    private static SlackCall Refused(string method, string error) =>
        new(method, SlackTransport.Answered, 200, false, error, null, default);
}
