using System.Globalization;
using SlackEmulator.Interactivity;
using SlackEmulator.State;

namespace SlackEmulator.Pages;

/// <summary>The human-facing pages: the index, one page per channel and the click route its forms post to.</summary>
internal static class PagesEndpoints
{
    public static IEndpointRouteBuilder MapPagesEndpoints(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/_emulator").ExcludeFromDescription();
        pages.MapGet("/", (EmulatorState state) =>
        {
            lock (state.Gate)
            {
                return PageLayout.Page("Slack emulator", IndexPage.Render(state));
            }
        });
        pages.MapGet("/channels/{teamId}/{channelId}", ShowChannel);
        pages.MapGet("/version", (EmulatorState state) => Results.Text(state.Version.ToString(CultureInfo.InvariantCulture)));
        pages.MapPost("/channels/{teamId}/{channelId}/click", ClickAsync).DisableAntiforgery();
        return app;
    }

    private static IResult ShowChannel(string teamId, string channelId, string? user, string? error, EmulatorState state, CallbackLog callbacks)
    {
        lock (state.Gate)
        {
            var team = state.FindTeam(teamId);
            var channel = team?.FindChannel(channelId) ?? team?.FindChannelByName(channelId);
            if (team is null || channel is null)
            {
                return PageLayout.Page("Not found", "<h2>No such channel</h2>", 404);
            }

            var body = ChannelPage.Render(team, channel, user, callbacks.LastFor(team.Id, channel.Id), error);
            return PageLayout.Page($"#{channel.Name}", body, script: ReloadScript(state.Version));
        }
    }

    /// <summary>
    /// Reloads the page when anything changed (the app usually updates a message after a click). Once a button's form
    /// is submitted it stops: a reload at that moment would cancel the click's post, and while alerts keep arriving
    /// (the demo sends one every few seconds) that lost clicks.
    /// </summary>
    private static string ReloadScript(long version) =>
        $"(function(){{var v='{version}',sent=false;var poll=setInterval(function(){{fetch('/_emulator/version').then(function(r){{return r.text();}})" +
        ".then(function(t){if(t!==v&&!sent){location.reload();}}).catch(function(){});},1500);" +
        "document.addEventListener('submit',function(){sent=true;clearInterval(poll);});})();";

    private static async Task<IResult> ClickAsync(string teamId, string channelId, HttpRequest request, ClickService clicks, EmulatorBaseUrl baseUrl)
    {
        var form = await request.ReadFormAsync();
        var click = new ClickRequest(teamId, channelId, form["ts"].ToString(), form["action_id"].ToString(),
            NullIfEmpty(form["block_id"]), NullIfEmpty(form["user"]), NullIfEmpty(form["selected"]));
        var outcome = await clicks.ClickAsync(click, baseUrl.For(request), request.HttpContext.RequestAborted);
        var query = $"?user={Uri.EscapeDataString(click.UserId ?? "")}" + (outcome.Error is null ? "" : $"&error={Uri.EscapeDataString(outcome.Error)}");
        return Results.Redirect($"/_emulator/channels/{Uri.EscapeDataString(teamId)}/{Uri.EscapeDataString(channelId)}{query}#msg-{click.Ts}");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
