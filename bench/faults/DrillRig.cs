using System.Net.Http.Json;
using System.Security.Cryptography;
using SignalCraft.Bench.Storm;

namespace SignalCraft.Bench.Faults;

/// <summary>
/// The processes of a drill: the Slack emulator (rate limits on) and SignalCraft on one database, connected to the
/// emulator through OAuth, with a signed Sentry integration and one rule per channel (project → channel, as teams
/// route). SignalCraft can be killed (SIGKILL) and restarted on the same port and master key, or joined by more
/// instances on the same database.
/// </summary>
public sealed class DrillRig : IAsyncDisposable
{
    private readonly List<SignalCraftInstance> _instances = [];

    private DrillRig(DrillContext context, BenchDatabase database, SlackEmulatorObserver slack, Dictionary<string, string> settings)
    {
        Context = context;
        Database = database;
        Slack = slack;
        Settings = settings;
        Control = new HttpClient { BaseAddress = slack.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public DrillContext Context { get; }
    public BenchDatabase Database { get; }
    public SlackEmulatorObserver Slack { get; }

    /// <summary>The emulator's control API (failure injection, call log).</summary>
    public HttpClient Control { get; }

    /// <summary>SignalCraft's settings as environment variables, shared by every instance and restart.</summary>
    public Dictionary<string, string> Settings { get; }

    /// <summary>The instance the drill set things up through (the first one, or its restart).</summary>
    public SignalCraftInstance App { get; private set; } = null!;

    public long IntegrationId { get; private set; }
    public string WebhookKey { get; private set; } = "";

    /// <summary>The webhook URL on one instance (or on a proxy in front of several).</summary>
    public Uri WebhookUrlAt(Uri baseUrl) => new(baseUrl, "webhooks/sentry/" + WebhookKey);

    /// <summary>
    /// Short leases so a killed process's jobs are rescued within seconds (the lease must cover three Slack calls of
    /// <c>Slack:Timeout</c> plus 5 s), the job worker polling often, and the retention sweep off.
    /// </summary>
    public static Dictionary<string, string> ShortLeases() => new()
    {
        ["Slack__Timeout"] = "00:00:02",
        ["Jobs__JobTimeout"] = "00:00:11",
        ["Jobs__RescueAfter"] = "00:00:11",
        ["Jobs__MaintenanceInterval"] = "00:00:01",
        ["Jobs__PollInterval"] = "00:00:00.250",
        ["Timers__ArmRetentionOnStart"] = "false",
    };

    public static async Task<DrillRig> StartAsync(DrillContext context, BenchDatabase database, IReadOnlyList<string> channels,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var slack = SlackEmulatorObserver.Start(context.Paths.EmulatorDll);
        var all = new Dictionary<string, string>(slack.AppSettings) { ["Secrets__MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        var rig = new DrillRig(context, database, slack, all);
        try
        {
            var starting = SignalCraftInstance.StartAsync(context.Paths.AppDll, database, all);
            await slack.WaitReadyAsync();
            rig.App = await starting;
            rig._instances.Add(rig.App);
            await slack.CreateChannelsAsync(channels);
            await slack.ConnectAsync(rig.App);
            var (id, url) = await rig.App.CreateSentryIntegrationAsync("Sentry drill");
            rig.IntegrationId = id;
            rig.WebhookKey = url.Segments[^1];
            foreach (var channel in channels)
            {
                await SignalCraftInstance.Expect(await rig.App.Api.PostAsJsonAsync("api/routing-rules", new
                {
                    name = $"Project {channel}",
                    conditions = new { projects = new[] { channel } },
                    actions = new { targets = new[] { slack.Target(channel) } },
                }), $"create the rule for {channel}");
            }
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL (Process.Kill on Linux): no shutdown code runs, as with an OOM kill or a crashed machine.</summary>
    public async Task KillAsync(SignalCraftInstance instance)
    {
        _instances.Remove(instance);
        await instance.DisposeAsync();
    }

    /// <summary>Starts SignalCraft again on the killed instance's port, as a supervisor would.</summary>
    public async Task<SignalCraftInstance> RestartAsync(SignalCraftInstance killed)
    {
        var again = await SignalCraftInstance.StartAsync(Context.Paths.AppDll, Database, Settings, killed.Url.Port, register: false);
        _instances.Add(again);
        if (ReferenceEquals(App, killed))
        {
            App = again;
        }
        return again;
    }

    /// <summary>Another instance on the same database (its own port), with extra settings.</summary>
    public async Task<SignalCraftInstance> StartAnotherAsync(IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>(Settings);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        var instance = await SignalCraftInstance.StartAsync(Context.Paths.AppDll, Database, settings, register: false);
        _instances.Add(instance);
        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
        Control.Dispose();
        await Slack.DisposeAsync();
    }
}
