using Microsoft.AspNetCore.HttpLogging;

namespace SignalCraft.Hosting;

/// <summary>
/// Request logs that show route templates, never raw paths: some paths carry credentials (invite tokens, integration
/// keys in webhook URLs). ASP.NET Core's own request logs ("Request starting …") and their log scope hold the raw
/// path, so that category is switched off entirely and requests are logged by HttpLogging, one line per request, with
/// the matched route template. Enable them with <c>Logging__LogLevel__Microsoft.AspNetCore.HttpLogging=Information</c>.
/// </summary>
internal static class RequestLogging
{
    public static IHostApplicationBuilder AddRequestLogging(this IHostApplicationBuilder builder)
    {
        // None rather than Warning: the hosting layer opens its RequestPath log scope whenever this category is enabled
        // at any level, and a provider that prints scopes would then print the path beside every message. A rule added
        // here comes after the configuration's rules, so it wins over Logging:LogLevel settings for this category.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Services.AddHttpLogging(o =>
        {
            o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestProtocol
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            o.CombineLogs = true;
        });
        builder.Services.AddHttpLoggingInterceptor<RouteTemplateLoggingInterceptor>();
        builder.Services.AddTransient<IStartupFilter, RequestLoggingStartupFilter>();
        return builder;
    }
}

/// <summary>Adds the route template (or "(no endpoint)") in place of the path; the path and query are never logged.</summary>
internal sealed class RouteTemplateLoggingInterceptor : IHttpLoggingInterceptor
{
    public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logContext)
    {
        logContext.TryDisable(HttpLoggingFields.RequestPath | HttpLoggingFields.RequestQuery);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logContext)
    {
        var route = (logContext.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        logContext.AddParameter("Route", route is null ? "(no endpoint)" : "/" + route.TrimStart('/'));
        logContext.AddParameter("TraceIdentifier", logContext.HttpContext.TraceIdentifier);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Puts HttpLogging outermost, so it sees the final status of every request (Program.cs only composes features).</summary>
internal sealed class RequestLoggingStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // The correlation scope opens first, so the request's own log line carries it too.
        app.UseMiddleware<CorrelationMiddleware>();
        app.UseHttpLogging();
        next(app);
    };
}
