using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using SlackEmulator.Api;
using SlackEmulator.Clock;
using SlackEmulator.Signing;
using SlackEmulator.State;

namespace SlackEmulator.Interactivity;

/// <summary>A click on a message element by a user (from the channel page or the control API).</summary>
/// <param name="Sabotage">For negative tests of the app's verifier: "stale_timestamp", "bad_signature" or "tampered_body".</param>
internal sealed record ClickRequest(
    string TeamId,
    string Channel,
    string Ts,
    string ActionId,
    string? BlockId = null,
    string? UserId = null,
    string? SelectedValue = null,
    string? Sabotage = null);

internal sealed record ClickOutcome(string? Error, CallbackRecord? Callback, string? Payload = null);

/// <summary>
/// Turns a click into Slack's signed block_actions callback: builds the payload from the stored
/// message, issues a response_url, form-encodes it as payload=…, signs the exact bytes and POSTs them
/// to the app's Request URL. The page and the control API both come through here.
/// </summary>
internal sealed class ClickService(
    EmulatorState state,
    EmulatorClock clock,
    ResponseUrls responseUrls,
    CallbackLog callbackLog,
    IHttpClientFactory httpClientFactory)
{
    public const string HttpClientName = "interactivity";

    public async Task<ClickOutcome> ClickAsync(ClickRequest click, string baseUrl, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        string payloadJson, requestUrl, secret, channelId, userId;
        lock (state.Gate)
        {
            var prepared = Prepare(click, baseUrl, now);
            if (prepared.Error is not null)
            {
                return new ClickOutcome(prepared.Error, null);
            }

            (payloadJson, requestUrl, secret, channelId, userId) =
                (prepared.Payload!, prepared.RequestUrl!, prepared.Secret!, prepared.ChannelId!, prepared.UserId!);
        }

        var body = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payloadJson));
        var timestamp = SlackTs.UnixSeconds(now) - (click.Sabotage == "stale_timestamp" ? 600 : 0);
        var signature = SlackSignature.Compute(click.Sabotage == "bad_signature" ? secret + "-wrong" : secret, timestamp, body);
        if (click.Sabotage == "tampered_body")
        {
            body = [.. body, .. "&tampered=1"u8];
        }

        var record = await SendAsync(requestUrl, body, timestamp, signature, ct);
        record = record with
        {
            Seq = callbackLog.NextSeq(), Time = now, TeamId = click.TeamId, ChannelId = channelId,
            MessageTs = click.Ts, ActionId = click.ActionId, UserId = userId,
        };
        callbackLog.Add(record);
        state.Touch();
        return new ClickOutcome(null, record, payloadJson);
    }

    private sealed record Prepared(string? Error, string? Payload = null, string? RequestUrl = null, string? Secret = null, string? ChannelId = null, string? UserId = null);

    private Prepared Prepare(ClickRequest click, string baseUrl, DateTimeOffset now)
    {
        var team = state.FindTeam(click.TeamId);
        var channel = team?.FindChannel(click.Channel) ?? team?.FindChannelByName(click.Channel);
        if (team is null || channel is null)
        {
            return new Prepared("channel_not_found");
        }

        var message = channel.Find(click.Ts);
        if (message is null or { Deleted: true } or { Ephemeral: true })
        {
            return new Prepared("message_not_found");
        }

        var found = ActionLookup.Find(message.Blocks, click.ActionId, click.BlockId);
        if (found is null)
        {
            return new Prepared("action_not_found");
        }

        var selected = found.Type == "button" ? null : ActionLookup.Option(found.Element, click.SelectedValue);
        if (found.Type != "button" && selected is null)
        {
            return new Prepared("option_not_found");
        }

        var user = click.UserId is null
            ? team.Users.Values.FirstOrDefault(u => !u.IsBot)
            : team.Users.GetValueOrDefault(click.UserId);
        if (user is null || user.IsBot)
        {
            return new Prepared("user_not_found");
        }

        var app = state.Apps.GetValueOrDefault(message.AppId ?? EmulatorState.DefaultAppId) ?? state.Apps[EmulatorState.DefaultAppId];
        var requestUrl = team.RequestUrl ?? app.RequestUrl;
        if (string.IsNullOrEmpty(requestUrl))
        {
            return new Prepared("no_request_url");
        }

        var responseUrl = responseUrls.Issue(team.Id, channel.Id, message.Ts, user.Id, app.Id, now);
        var payload = BlockActionsPayload.Build(team, channel, message, user, app, found, selected, baseUrl + responseUrl.Path, now);
        return new Prepared(null, SlackJson.Serialize(payload), requestUrl, team.SigningSecret ?? app.SigningSecret, channel.Id, user.Id);
    }

    private async Task<CallbackRecord> SendAsync(string requestUrl, byte[] body, long timestamp, string signature, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, requestUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Headers.Add(SlackSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(SlackSignature.SignatureHeader, signature);
        request.Headers.UserAgent.ParseAdd("Slackbot 1.0 (+https://api.slack.com/robots)");
        int? status = null;
        string? error = null;
        string? responseBody = null;
        try
        {
            using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, ct);
            status = (int)response.StatusCode;
            responseBody = await response.Content.ReadAsStringAsync(ct);
            if (responseBody.Length > 2000)
            {
                responseBody = responseBody[..2000];
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            error = ex is TaskCanceledException ? "timeout" : ex.Message;
        }

        return new CallbackRecord(0, default, "", "", "", "", "", requestUrl, status, error,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            signature, Encoding.UTF8.GetString(body), responseBody);
    }
}
