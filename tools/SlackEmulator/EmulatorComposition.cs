using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SlackEmulator.Api;
using SlackEmulator.Clock;
using SlackEmulator.Control;
using SlackEmulator.Failures;
using SlackEmulator.Inspection;
using SlackEmulator.Interactivity;
using SlackEmulator.OAuth;
using SlackEmulator.Pages;
using SlackEmulator.RateLimits;
using SlackEmulator.State;

namespace SlackEmulator;

/// <summary>Registers the emulator's services and maps its endpoints; Program only calls these.</summary>
public static class EmulatorComposition
{
    public static WebApplicationBuilder AddSlackEmulator(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EmulatorOptions>().BindConfiguration(EmulatorOptions.SectionName);

        // TryAdd: a test host may register its own TimeProvider (e.g. FakeTimeProvider) as the base clock.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new EmulatorClock(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<EmulatorState>();
        services.TryAddSingleton<RateLimiter>();
        services.TryAddSingleton<FailureInjector>();
        services.TryAddSingleton<CallLog>();
        services.TryAddSingleton<CallbackLog>();
        services.TryAddSingleton<ResponseUrls>();
        services.TryAddSingleton<Seeder>();
        services.TryAddSingleton<EmulatorReset>();
        services.TryAddSingleton<EmulatorBaseUrl>();
        services.TryAddSingleton<ApiPipeline>();
        services.TryAddSingleton<ClickService>();
        services.AddHttpClient(ClickService.HttpClientName, (sp, client) =>
            client.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<EmulatorOptions>>().Value.CallbackTimeoutSeconds));
        return builder;
    }

    public static WebApplication MapSlackEmulator(this WebApplication app)
    {
        var seeder = app.Services.GetRequiredService<Seeder>();
        if (seeder.Enabled)
        {
            seeder.Apply();
        }

        app.MapGet("/", () => Results.Redirect("/_emulator")).ExcludeFromDescription();
        app.MapApiEndpoints();
        app.MapOAuthEndpoints();
        app.MapResponseUrlEndpoints();
        app.MapControlEndpoints();
        app.MapPagesEndpoints();
        return app;
    }
}
