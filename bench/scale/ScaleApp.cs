using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SignalCraft.Bench.Storm;

namespace SignalCraft.Bench.Scale;

/// <summary>SignalCraft as a process on a given database; restartable on the same data (same master key and URL).</summary>
public sealed class ScaleApp(string appDll, BenchDatabase database, string masterKey) : IAsyncDisposable
{
    private ChildProcess? _process;

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public async Task StartAsync()
    {
        var port = ChildProcess.FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/");
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__Provider"] = database.Provider,
            [database.Provider == "Postgres" ? "ConnectionStrings__Postgres" : "ConnectionStrings__Sqlite"] = database.ConnectionString,
            ["Secrets__MasterKey"] = masterKey,
            ["App__PublicBaseUrl"] = Url.ToString().TrimEnd('/'),
            ["Logging__LogLevel__Default"] = "Warning",
            // Retention would start pruning the bench's week of events; it is not what is measured here.
            ["Timers__ArmRetentionOnStart"] = "false",
        };
        _process = ChildProcess.Start("signalcraft", ChildProcess.DotnetHost, [appDll, "--urls", Url.ToString().TrimEnd('/')], env,
            Path.GetDirectoryName(appDll));
        await _process.WaitForHttpAsync(new Uri(Url, "readyz").ToString(), TimeSpan.FromSeconds(120));
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>A client signed in as <paramref name="email"/> (registered with a new workspace when asked).</summary>
    public async Task<HttpClient> SignInAsync(string email, string? registerWorkspace = null)
    {
        var api = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
        const string password = "bench passphrase long enough";
        if (registerWorkspace is not null)
        {
            await SignalCraftInstance.Expect(await api.PostAsJsonAsync("api/auth/register", new { email, password, workspaceName = registerWorkspace }),
                "register");
        }
        var login = await SignalCraftInstance.Expect(await api.PostAsJsonAsync("api/auth/login", new { email, password }), "login");
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("accessToken").GetString());
        return api;
    }

    public static async Task<(long Id, Uri WebhookUrl)> CreateSentryAsync(HttpClient api)
    {
        var created = await SignalCraftInstance.Expect(await api.PostAsJsonAsync("api/integrations",
            new { type = "sentry", name = "Sentry", mode = "signed", clientSecret = SentryBodies.ClientSecret }), "create integration");
        return (created.GetProperty("id").GetInt64(), new Uri(created.GetProperty("webhookUrl").GetString()!));
    }

    public static async Task<long> WorkspaceIdAsync(HttpClient api)
    {
        var list = await SignalCraftInstance.Expect(await api.GetAsync("api/workspaces"), "workspaces");
        return list.EnumerateArray().First().GetProperty("id").GetInt64();
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
