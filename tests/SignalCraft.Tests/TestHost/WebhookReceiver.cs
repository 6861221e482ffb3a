using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SignalCraft.Tests.TestHost;

/// <summary>A real HTTP endpoint on 127.0.0.1 that records every outgoing webhook SignalCraft sends to it.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    public sealed record Received(DateTime At, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public string Type => Json.GetProperty("type").GetString()!;
    }

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Answer with this status (e.g. 503) instead of 200.</summary>
    public int Status { get; set; } = 200;

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url(string path = "/hooks/signalcraft-secret-path-7f3a") =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + path;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            receiver.Requests.Enqueue(new Received(DateTime.UtcNow,
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            return Results.StatusCode(receiver.Status);
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds for what was received.</summary>
    public async Task<List<Received>> WaitForAsync(Func<List<Received>, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var snapshot = Requests.ToList();
            if (condition(snapshot))
            {
                return snapshot;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Webhook receiver: {what} did not happen; got {snapshot.Count}: "
                    + string.Join(", ", snapshot.Select(r => r.Type)));
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
