using System.Collections.Concurrent;
using System.Text.Json;

namespace SignalCraft.Bench.Storm;

/// <summary>A message a person would see: a top-level post in a channel, with how often it was edited since.</summary>
public sealed record Page(string Channel, string Text, DateTime PostedAt, int Updates);

/// <summary>Where the storm's notifications land, and how a routing rule names that place.</summary>
public interface IPageObserver : IAsyncDisposable
{
    string Kind { get; }

    /// <summary>The routing rule target for <paramref name="channel"/> (an object serialised as the API's TargetSpec).</summary>
    object Target(string channel);

    /// <summary>Every top-level message so far, with its edit count.</summary>
    Task<IReadOnlyList<Page>> PagesAsync(IReadOnlyList<string> channels);

    /// <summary>How many edits were asked for (including refused ones), for the call counts.</summary>
    Task<int> UpdateCallsAsync();
}

/// <summary>
/// Outgoing webhook targets served by this program (a small Kestrel endpoint): <c>group.opened</c> is a top-level
/// message, <c>group.updated</c> an edit of it.
/// </summary>
public sealed class WebhookSink : IPageObserver
{
    private readonly WebApplication _app;
    private readonly int _port;
    private readonly ConcurrentQueue<(string Channel, long Group, string Title, DateTime At)> _opened = new();
    private readonly ConcurrentDictionary<(string Channel, long Group), int> _updates = new();
    private int _updateCalls;

    private WebhookSink(WebApplication app, int port)
    {
        _app = app;
        _port = port;
    }

    public string Kind => "webhook targets";

    public static async Task<WebhookSink> StartAsync()
    {
        var port = ChildProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var sink = new WebhookSink(app, port);
        app.MapPost("/hook/{channel}", async (string channel, HttpRequest request) =>
        {
            var at = DateTime.UtcNow;
            using var doc = await JsonDocument.ParseAsync(request.Body);
            var type = doc.RootElement.GetProperty("type").GetString();
            var group = doc.RootElement.GetProperty("group");
            var key = (channel, group.GetProperty("id").GetInt64());
            if (type == "group.opened")
            {
                sink._opened.Enqueue((channel, key.Item2, group.GetProperty("title").GetString() ?? "", at));
            }
            else if (type == "group.updated")
            {
                sink._updates.AddOrUpdate(key, 1, (_, n) => n + 1);
                Interlocked.Increment(ref sink._updateCalls);
            }
            return Results.Ok();
        });
        await app.StartAsync();
        return sink;
    }

    public object Target(string channel) => new { kind = "webhook", url = $"http://127.0.0.1:{_port}/hook/{channel}" };

    public Task<IReadOnlyList<Page>> PagesAsync(IReadOnlyList<string> channels) =>
        Task.FromResult<IReadOnlyList<Page>>(_opened
            .Select(o => new Page(o.Channel, o.Title, o.At, _updates.GetValueOrDefault((o.Channel, o.Group))))
            .ToList());

    public Task<int> UpdateCallsAsync() => Task.FromResult(_updateCalls);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
