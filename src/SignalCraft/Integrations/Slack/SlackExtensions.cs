using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SignalCraft.Notify;
using SignalCraft.Notify.Slack;

namespace SignalCraft.Integrations.Slack;

internal static class SlackExtensions
{
    /// <summary>Slack: connections (OAuth, tokens, channels), target validation and the Slack notifier.</summary>
    public static IHostApplicationBuilder AddSlack(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.AddHttpClient<SlackApiClient>(SlackApiClient.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            // HttpClient's own request logs carry full URLs, and a click's response_url is a credential.
            .RemoveAllLoggers();
        services.AddMemoryCache();
        services.TryAddSingleton<SlackSendBudget>();
        services.TryAddSingleton<SlackHistoryBudget>();
        services.TryAddSingleton<SlackHistorySnapshots>();
        services.TryAddScoped<SlackTokens>();
        services.TryAddScoped<SlackChannelDirectory>();
        services.TryAddScoped<SlackConnectStarter>();
        services.TryAddScoped<SlackTestMessage>();
        services.TryAddScoped<SlackConversation>();
        services.TryAddScoped<SlackHistory>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<ISlackTargetValidator, SlackTargetValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Scoped<ITargetNotifier, SlackTargetNotifier>());
        return builder;
    }
}
