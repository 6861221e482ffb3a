namespace SlackEmulator;

/// <summary>
/// The Slack emulator: Slack's Web API, OAuth, interactivity callbacks and response_url on one local
/// address (default http://127.0.0.1:5090), plus a control API and channel pages under /_emulator.
/// Declared as a class (not top-level statements) so tests can host it with
/// WebApplicationFactory&lt;SlackEmulator.Program&gt;.
/// </summary>
public partial class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddSlackEmulator();
        var app = builder.Build();
        app.MapSlackEmulator();
        app.Run();
    }
}
