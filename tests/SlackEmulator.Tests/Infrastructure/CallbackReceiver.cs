using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SlackEmulator.Tests.Infrastructure;

/// <summary>One request the app side received: exact body bytes and the Slack headers.</summary>
public sealed record ReceivedCallback(byte[] RawBody, string? Timestamp, string? Signature, string? ContentType)
{
    public string Body => System.Text.Encoding.UTF8.GetString(RawBody);
}

/// <summary>
/// A tiny Kestrel app on 127.0.0.1 standing in for SignalCraft's interactivity endpoint: it records
/// each request exactly as received and answers with <see cref="StatusCode"/>.
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedCallback> _received = new();

    private CallbackReceiver(WebApplication app) => _app = app;

    public int StatusCode { get; set; } = 200;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
        .Addresses.Single() + "/slack/interactivity";

    public IReadOnlyList<ReceivedCallback> Received => [.. _received];

    public static async Task<CallbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new CallbackReceiver(app);
        app.MapPost("/slack/interactivity", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            receiver._received.Enqueue(new ReceivedCallback(buffer.ToArray(), request.Headers["X-Slack-Request-Timestamp"],
                request.Headers["X-Slack-Signature"], request.ContentType));
            return Results.StatusCode(receiver.StatusCode);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
