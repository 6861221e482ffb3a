using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace SignalCraft.Bench.Storm;

/// <summary>
/// The built SignalCraft (Release DLL) as a real process on its own database and data folder, set up through its API
/// as an admin would: register, sign in, create a signed Sentry integration with the fixtures' client secret.
/// </summary>
public sealed class SignalCraftInstance : IAsyncDisposable
{
    private SignalCraftInstance(ChildProcess process, Uri url, HttpClient api)
    {
        Process = process;
        Url = url;
        Api = api;
    }

    public ChildProcess Process { get; }
    public Uri Url { get; }

    /// <summary>Signed in as the workspace owner (bearer token).</summary>
    public HttpClient Api { get; }

    /// <summary>
    /// Starts the app and signs in. A restart (or a second instance on the same database) passes the first one's
    /// <paramref name="port"/> or a new one, <c>Secrets__MasterKey</c> in <paramref name="settings"/> (stored Slack tokens
    /// stay readable) and <paramref name="register"/> false: the owner already exists and only signs in.
    /// </summary>
    public static async Task<SignalCraftInstance> StartAsync(string appDll, BenchDatabase database, IReadOnlyDictionary<string, string>? settings = null,
        int? port = null, bool register = true)
    {
        port ??= ChildProcess.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__Provider"] = database.Provider,
            [database.Provider == "Postgres" ? "ConnectionStrings__Postgres" : "ConnectionStrings__Sqlite"] = database.ConnectionString,
            ["Secrets__MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["App__PublicBaseUrl"] = url.ToString().TrimEnd('/'),
            ["Notify__AllowPrivateTargets"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }
        // The content root is the DLL's folder (appsettings.json); the SQLite file lives in the bench's temp folder.
        var process = ChildProcess.Start("signalcraft", ChildProcess.DotnetHost, [appDll, "--urls", url.ToString().TrimEnd('/')], env,
            Path.GetDirectoryName(appDll));
        var api = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            // Generous: a cold start of the app on a busy shared two-core machine has taken over a minute.
            await process.WaitForHttpAsync(new Uri(url, "readyz").ToString(), TimeSpan.FromSeconds(150));
            var credentials = new { email = "bench@example.com", password = "bench passphrase long enough", workspaceName = "Bench" };
            if (register)
            {
                await Expect(await api.PostAsJsonAsync("api/auth/register", credentials), "register");
            }
            var login = await Expect(await api.PostAsJsonAsync("api/auth/login", new { credentials.email, credentials.password }), "login");
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("accessToken").GetString());
            return new SignalCraftInstance(process, url, api);
        }
        catch
        {
            // No orphan server behind a failed start.
            api.Dispose();
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>A signed Sentry integration; answers its id and webhook URL.</summary>
    public async Task<(long Id, Uri WebhookUrl)> CreateSentryIntegrationAsync(string name)
    {
        var created = await Expect(await Api.PostAsJsonAsync("api/integrations",
            new { type = "sentry", name, mode = "signed", clientSecret = SentryBodies.ClientSecret }), "create integration");
        return (created.GetProperty("id").GetInt64(), new Uri(created.GetProperty("webhookUrl").GetString()!));
    }

    public static async Task<JsonElement> Expect(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: HTTP {(int)response.StatusCode} {text}");
        }
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        // For looking into a run: SIGNALCRAFT_BENCH_APP_LOG=file keeps what the app wrote (appended per instance).
        if (Environment.GetEnvironmentVariable("SIGNALCRAFT_BENCH_APP_LOG") is { Length: > 0 } log)
        {
            await File.AppendAllTextAsync(log, Process.Output);
        }
        Api.Dispose();
        await Process.DisposeAsync();
    }
}
