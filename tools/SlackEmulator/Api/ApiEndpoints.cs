namespace SlackEmulator.Api;

/// <summary>Slack's Web API: GET or POST /api/{method}, as at https://slack.com/api/{method}.</summary>
internal static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapApiEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/api/{method}", [HttpMethods.Get, HttpMethods.Post],
                (HttpContext http, string method, ApiPipeline pipeline) => pipeline.HandleAsync(http, method))
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return app;
    }
}
