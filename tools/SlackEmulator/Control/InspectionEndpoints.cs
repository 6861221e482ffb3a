using System.Text.Json;
using SlackEmulator.Inspection;
using SlackEmulator.Interactivity;
using SlackEmulator.State;

namespace SlackEmulator.Control;

/// <summary>Control API to read back what happened (calls, messages, callbacks) and to click programmatically.</summary>
internal static class InspectionEndpoints
{
    public static RouteGroupBuilder MapInspectionEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/calls", (string? method, string? team, string? channel, long? afterSeq, CallLog calls) =>
            Results.Ok(calls.Snapshot()
                .Where(c => (method is null || c.Method == method) && (team is null || c.TeamId == team)
                            && (channel is null || c.Channel == channel) && (afterSeq is null || c.Seq > afterSeq))
                .ToArray()));
        group.MapDelete("/calls", (CallLog calls) =>
        {
            calls.Clear();
            return Results.NoContent();
        });
        group.MapGet("/messages", Messages);
        group.MapGet("/callbacks", (CallbackLog callbacks) => Results.Ok(callbacks.Snapshot().Select(c => new
        {
            c.Seq, c.Time, c.TeamId, c.ChannelId, c.MessageTs, c.ActionId, c.UserId, c.RequestUrl,
            c.Status, c.Error, c.LatencyMs, c.Slow, c.Timestamp, c.Signature,
        }).ToArray()));
        group.MapPost("/click", ClickAsync);
        return group;
    }

    private static IResult Messages(string? team, string? channel, bool? includeEphemeral, EmulatorState state)
    {
        lock (state.Gate)
        {
            var views = state.Teams.Values
                .Where(t => team is null || t.Id == team)
                .SelectMany(t => t.ChannelList.Where(c => channel is null || c.Id == channel || c.Name == channel.TrimStart('#')))
                .SelectMany(c => c.Messages)
                .Where(m => includeEphemeral == true || !m.Ephemeral)
                .Select(View)
                .ToArray();
            return Results.Ok(views);
        }
    }

    private static MessageView View(StoredMessage m) => new(
        m.TeamId, m.ChannelId, m.Ts, m.ThreadTs, m.ReplyBroadcast, m.UserId, m.BotId, m.AppId, m.Text,
        m.Blocks, m.Attachments, m.Metadata, m.Edited is null ? null : new EditedView(m.Edited.User, m.Edited.Ts),
        m.History.Select(v => new VersionView(v.Text, v.Blocks, v.Metadata, v.ReplacedAt, v.ReplacedBy)).ToArray(),
        [.. m.ReplyTs], m.Deleted, m.Ephemeral, m.VisibleTo, Clock.SlackTs.ToInstant(m.TsMicros));

    private static async Task<IResult> ClickAsync(ClickApiRequest body, ClickService clicks, EmulatorBaseUrl baseUrl, HttpRequest request)
    {
        if (body.TeamId is null || body.Channel is null || body.Ts is null || body.ActionId is null)
        {
            return Results.BadRequest(new { error = "teamId, channel, ts and actionId are required" });
        }

        var click = new ClickRequest(body.TeamId, body.Channel, body.Ts, body.ActionId, body.BlockId, body.UserId, body.SelectedValue, body.Sabotage);
        var outcome = await clicks.ClickAsync(click, baseUrl.For(request), request.HttpContext.RequestAborted);
        if (outcome.Callback is not { } sent)
        {
            return Results.UnprocessableEntity(new { error = outcome.Error });
        }

        var payload = outcome.Payload is null ? (JsonElement?)null : JsonDocument.Parse(outcome.Payload).RootElement.Clone();
        var responseUrl = payload?.GetProperty("response_url").GetString();
        return Results.Ok(new ClickApiResponse(sent.Status, sent.Error, sent.LatencyMs, sent.Slow, sent.RequestUrl,
            sent.Timestamp, sent.Signature, responseUrl, payload, sent.ResponseBody));
    }
}
