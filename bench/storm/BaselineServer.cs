namespace SignalCraft.Bench.Storm;

/// <summary>
/// The bare Kestrel baseline: reads the whole body of any POST and answers 202 with nothing stored. Runs as its own
/// process (this program with <c>--serve-baseline PORT</c>) so its CPU and memory are measured like the others'.
/// </summary>
public static class BaselineServer
{
    public static async Task<int> RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/ready", () => Results.Ok());
        app.MapPost("/{**path}", async (HttpRequest request) =>
        {
            var buffer = new byte[16 * 1024];
            long total = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer)) > 0)
            {
                total += read;
            }
            return Results.Accepted(value: new { status = "accepted", bytes = total });
        });
        await app.RunAsync();
        return 0;
    }

    public static async Task<ChildProcess> StartAsync(int port)
    {
        var dll = typeof(BaselineServer).Assembly.Location;
        var child = ChildProcess.Start("kestrel", ChildProcess.DotnetHost, [dll, "--serve-baseline", port.ToString()]);
        await child.WaitForHttpAsync($"http://127.0.0.1:{port}/ready", TimeSpan.FromSeconds(20));
        return child;
    }
}
