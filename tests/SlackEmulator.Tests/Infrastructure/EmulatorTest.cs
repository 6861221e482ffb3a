using System.Text.Json.Nodes;

namespace SlackEmulator.Tests.Infrastructure;

/// <summary>
/// Base for tests against a class-wide emulator: every test starts from a reset emulator with the
/// standard workspace and a bot token holding <see cref="Scopes"/>.
/// </summary>
public abstract class EmulatorTest(EmulatorHost host) : IClassFixture<EmulatorHost>, IAsyncLifetime
{
    protected EmulatorHost Host { get; } = host;
    protected EmulatorControl Emulator => Host.Control;
    protected TestWorkspace W { get; } = new();
    protected string Token { get; private set; } = "";

    protected virtual string[] Scopes => TestWorkspace.AllScopes;

    public virtual async ValueTask InitializeAsync()
    {
        await Emulator.ResetAsync();
        Token = await Emulator.CreateWorkspaceAsync(W, Scopes);
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected static string Str(JsonNode? node) => node?.GetValue<string>() ?? throw new InvalidOperationException("missing value");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;
}
