using Microsoft.Extensions.DependencyInjection.Extensions;
using SignalCraft.Integrations;
using SignalCraft.Sources.Sentry;

namespace SignalCraft.Sources;

internal static class SourcesExtensions
{
    public static IHostApplicationBuilder AddSources(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<VerificationFailureLimiter>();
        builder.Services.TryAddSingleton<WebhookCounters>();
        builder.Services.AddHostedService<WebhookCountersFlusher>();
        builder.Services.TryAddScoped<IngestService>();
        builder.Services.TryAddScoped<SentryWebhookHandler>();
        builder.Services.TryAddScoped<IntegrationAdmin>();
        builder.Services.TryAddScoped<SentryTestWebhook>();
        // The test webhook calls this app's own receiver: short, and without HttpClient's request logs (the URL holds the key).
        builder.Services.AddHttpClient(SentryTestWebhook.ClientName, c => c.Timeout = TimeSpan.FromSeconds(10)).RemoveAllLoggers();
        return builder;
    }

    /// <summary>
    /// The webhook receivers. Anonymous: the integration key in the URL (and the signature) are the credentials;
    /// request logs record the route template, never the key.
    /// </summary>
    public static IEndpointRouteBuilder MapSourcesEndpoints(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/webhooks").AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        webhooks.MapPost("/sentry/{key}", (string key, HttpContext http, SentryWebhookHandler handler, CancellationToken ct) =>
            handler.HandleAsync(key, http, ct));
        return app;
    }
}
