using Microsoft.Extensions.DependencyInjection.Extensions;
using SignalCraft.Health;

namespace SignalCraft.Inbox;

internal static class InboxExtensions
{
    public static IHostApplicationBuilder AddInbox(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddScoped<InboxQueries>();
        builder.Services.TryAddScoped<GroupActions>();
        builder.Services.TryAddScoped<GroupDeliveries>();
        builder.Services.TryAddScoped<EventHourRollup>();
        builder.Services.TryAddScoped<OutcomeQueries>();
        return builder;
    }
}
