using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using SlackEmulator.Api;
using SlackEmulator.BlockKit;
using SlackEmulator.Clock;
using SlackEmulator.Inspection;
using SlackEmulator.State;

namespace SlackEmulator.Interactivity;

/// <summary>
/// POST {response_url}: JSON with text/blocks and replace_original, delete_original or response_type
/// (in_channel posts a new message, anything else an ephemeral reply to the clicking user). An absent
/// flag counts as false (the reference found the real defaults unclear). Answers {"ok":true}.
/// </summary>
internal static class ResponseUrlEndpoints
{
    public static IEndpointRouteBuilder MapResponseUrlEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/actions/{teamId}/{id}/{secret}", HandleAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http, string teamId, string id, string secret,
        EmulatorState state, EmulatorClock clock, ResponseUrls urls, CallLog calls)
    {
        var started = Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        var (result, status, grant) = await RunAsync(http, $"/actions/{teamId}/{id}/{secret}", state, urls, now);
        calls.Add(new ApiCallRecord(calls.NextSeq(), now, "response_url", grant?.TeamId ?? teamId, grant?.ChannelId, status,
            result["ok"]?.GetValue<bool>() == true, result["error"]?.GetValue<string>() ?? "ok", false, null,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        return Results.Content(SlackJson.Serialize(result), "application/json; charset=utf-8", statusCode: status);
    }

    private static async Task<(JsonObject Body, int Status, ResponseUrlGrant? Grant)> RunAsync(
        HttpContext http, string path, EmulatorState state, ResponseUrls urls, DateTimeOffset now)
    {
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            return (Error("invalid_payload"), 400, null);
        }

        JsonElement? blocks = null;
        if (body["blocks"] is JsonArray { Count: > 0 } blockArray)
        {
            var check = BlockValidator.Check(blockArray);
            if (check.Error is not null)
            {
                return (Error(check.Error), 200, null);
            }

            blocks = check.Blocks;
        }

        var (grant, error) = urls.TryUse(path, now);
        if (grant is null)
        {
            return (Error(error!), 404, null);
        }

        lock (state.Gate)
        {
            var applied = Apply(state, grant, body, blocks, now);
            return applied is null ? (new JsonObject { ["ok"] = true }, 200, grant) : (Error(applied), 404, grant);
        }
    }

    private static string? Apply(EmulatorState state, ResponseUrlGrant grant, JsonObject body, JsonElement? blocks, DateTimeOffset now)
    {
        var team = state.FindTeam(grant.TeamId);
        var channel = team?.FindChannel(grant.ChannelId);
        var original = channel?.Find(grant.MessageTs);
        if (team is null || channel is null || original is null)
        {
            return "message_not_found";
        }

        var text = Text(body, "text") ?? "";
        if (Flag(body, "delete_original"))
        {
            original.RememberVersion(SlackTs.Format(now), "response_url delete_original");
            original.Deleted = true;
        }
        else if (Flag(body, "replace_original"))
        {
            original.RememberVersion(SlackTs.Format(now), "response_url replace_original");
            original.Text = text;
            original.Blocks = blocks;
        }
        else
        {
            var inChannel = Text(body, "response_type") == "in_channel";
            var bot = team.BotsByApp.GetValueOrDefault(grant.AppId);
            var parent = channel.Find(Text(body, "thread_ts"));
            var (ts, micros) = channel.NextTs(now);
            var reply = new StoredMessage
            {
                Ts = ts,
                TsMicros = micros,
                TeamId = team.Id,
                ChannelId = channel.Id,
                UserId = bot?.Id ?? grant.UserId,
                BotId = bot?.BotId,
                AppId = grant.AppId,
                Text = text,
                Blocks = blocks,
                ThreadTs = parent?.ThreadTs ?? parent?.Ts,
                Ephemeral = !inChannel,
                VisibleTo = inChannel ? null : grant.UserId,
            };
            channel.Add(reply);
            if (parent is not null && inChannel)
            {
                channel.Find(reply.ThreadTs)?.ReplyTs.Add(ts);
            }
        }

        state.Touch();
        return null;
    }

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool Flag(JsonObject body, string name) => body[name] switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => s == "true",
        _ => false,
    };

    private static JsonObject Error(string code) => new() { ["ok"] = false, ["error"] = code };
}
