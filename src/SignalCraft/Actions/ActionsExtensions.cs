using Microsoft.Extensions.DependencyInjection.Extensions;
using SignalCraft.Integrations.Slack;
using SignalCraft.Jobs;

namespace SignalCraft.Actions;

internal static class ActionsExtensions
{
    /// <summary>Acting from Slack: the interactivity endpoint, the click job and people links.</summary>
    public static IHostApplicationBuilder AddActions(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddScoped<SlackPeople>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<Accounts.IUserSlackLinks, SlackUserLinks>());
        builder.Services.AddJobHandler<SlackClick, SlackClickHandler>();
        return builder;
    }

    public static IEndpointRouteBuilder MapActionsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapSlackActionsEndpoint();
        app.MapSlackLinkEndpoints();
        return app;
    }
}
