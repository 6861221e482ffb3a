using SlackEmulator.State;

namespace SlackEmulator.Control;

/// <summary>The JSON control API under /_emulator (documented route by route in the README).</summary>
internal static class ControlEndpoints
{
    public static IEndpointRouteBuilder MapControlEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/_emulator").DisableAntiforgery().ExcludeFromDescription();

        // The one domain exception: creating something that already exists.
        group.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (ConflictException ex)
            {
                return Results.Conflict(new { error = ex.Message });
            }
        });
        group.MapWorkspaceEndpoints();
        group.MapFailureEndpoints();
        group.MapSettingsEndpoints();
        group.MapInspectionEndpoints();
        return app;
    }
}
