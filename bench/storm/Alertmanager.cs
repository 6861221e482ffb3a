using System.Text;
using System.Text.Json;

namespace SignalCraft.Bench.Storm;

/// <summary>
/// Prometheus Alertmanager as the in-memory baseline: one instance, gossip off, on loopback, routing everything to a
/// receiver that sends nothing. Each request posts one alert with its own labels (a new alert, as a fresh Sentry
/// event is), of the same groups and projects as the Sentry webhooks.
/// </summary>
public sealed class Alertmanager : IAsyncDisposable
{
    private readonly string _folder;

    private Alertmanager(ChildProcess process, string folder, Uri url)
    {
        Process = process;
        _folder = folder;
        Url = url;
    }

    public ChildProcess Process { get; }
    public Uri Url { get; }

    public static string? FindBinary()
    {
        foreach (var name in new[] { "prometheus-alertmanager", "alertmanager" })
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                var path = Path.Combine(dir, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }
        return null;
    }

    public static async Task<Alertmanager> StartAsync(string binary)
    {
        var folder = Directory.CreateTempSubdirectory("signalcraft-bench-am-").FullName;
        var config = Path.Combine(folder, "alertmanager.yml");
        await File.WriteAllTextAsync(config, """
            route:
              receiver: nowhere
              group_by: ['alertname', 'group']
            receivers:
              - name: nowhere
            """);
        var port = ChildProcess.FreePort();
        var process = ChildProcess.Start("alertmanager", binary,
        [
            "--config.file=" + config, "--storage.path=" + Path.Combine(folder, "data"),
            $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=warn",
        ]);
        var url = new Uri($"http://127.0.0.1:{port}/");
        await process.WaitForHttpAsync(new Uri(url, "-/ready").ToString(), TimeSpan.FromSeconds(20));
        return new Alertmanager(process, folder, url);
    }

    public static HttpRequestMessage SingleAlert(Uri baseUrl, long sequence, int group, string project)
    {
        var alert = new[]
        {
            new
            {
                labels = new Dictionary<string, string>
                {
                    ["alertname"] = "HighErrorRate", ["group"] = $"g{group}", ["project"] = project, ["severity"] = "error",
                    ["instance"] = $"web-{group % 16}:9100", ["event"] = Guid.NewGuid().ToString("N"),
                },
                annotations = new Dictionary<string, string>
                {
                    ["summary"] = $"TypeError: Cannot read properties of undefined (reading 'amount') [g{group}]",
                    ["description"] = "Checkout fails while reading the payment amount; see the Sentry issue for the stack trace.",
                },
                startsAt = DateTime.UtcNow,
                generatorURL = $"http://127.0.0.1/alerts/{sequence}",
            },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "api/v2/alerts"))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(alert)),
        };
        request.Content.Headers.ContentType = new("application/json");
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
