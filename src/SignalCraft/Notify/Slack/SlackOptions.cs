using Microsoft.Extensions.Options;
using SignalCraft.Jobs;

namespace SignalCraft.Notify.Slack;

/// <summary>Bound from <c>Slack</c> (<c>Slack__ClientId</c>, …). The app's credentials come from the Slack app page.</summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    /// <summary>The Web API base to which method names are appended.</summary>
    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary>Slack's OAuth v2 authorize page.</summary>
    public string AuthorizeUrl { get; set; } = "https://slack.com/oauth/v2/authorize";

    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>Verifies button clicks (<c>X-Slack-Signature</c>).</summary>
    public string? SigningSecret { get; set; }

    /// <summary>How long one Web API call may take before it counts as a timeout (an ambiguous outcome for a post).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a connection's channel list is reused for pickers and rule validation.</summary>
    public TimeSpan ChannelCacheTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Least time between two posts in one channel (Slack: about one per second).</summary>
    public TimeSpan PostInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>chat.update</c> calls per minute per team (Slack's Tier 3).</summary>
    public int UpdatesPerMinute { get; set; } = 50;

    /// <summary>
    /// History checks of ambiguous posts per minute per team (<see cref="SlackHistoryBudget"/>): below Slack's Tier 3 (50),
    /// leaving room for a check's second page and for another instance.
    /// </summary>
    public int HistoryChecksPerMinute { get; set; } = 40;

    /// <summary>The bot scopes asked for at install.</summary>
    public static readonly string[] BotScopes =
    [
        "chat:write", "chat:write.public", "channels:read", "groups:read", "channels:join", "channels:history", "groups:history",
        "users:read", "users:read.email",
    ];

    /// <summary>A post's calls (history check, join, post) must end before the job's lease does.</summary>
    public TimeSpan CallBudget => Timeout * 3 + TimeSpan.FromSeconds(5);
}

/// <summary>Checks the settings against each other and against the job lease at start-up.</summary>
internal sealed class SlackOptionsValidator(IOptions<JobsOptions> jobs) : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || !options.ApiBaseUrl.EndsWith('/'))
        {
            failures.Add($"Slack:ApiBaseUrl must be an absolute URL ending in '/', e.g. https://slack.com/api/ (got '{options.ApiBaseUrl}').");
        }
        if (!Uri.TryCreate(options.AuthorizeUrl, UriKind.Absolute, out _))
        {
            failures.Add($"Slack:AuthorizeUrl must be an absolute URL (got '{options.AuthorizeUrl}').");
        }
        if (options.Timeout < TimeSpan.FromMilliseconds(100) || options.Timeout > TimeSpan.FromMinutes(2))
        {
            failures.Add("Slack:Timeout must be between 00:00:00.1 and 00:02:00.");
        }
        if (options.UpdatesPerMinute is < 1 or > 1000 || options.PostInterval < TimeSpan.Zero)
        {
            failures.Add("Slack:UpdatesPerMinute must be 1 to 1000 and Slack:PostInterval not negative.");
        }
        if (options.HistoryChecksPerMinute is < 1 or > 1000)
        {
            failures.Add("Slack:HistoryChecksPerMinute must be 1 to 1000.");
        }
        if (jobs.Value.JobTimeout < options.CallBudget)
        {
            failures.Add($"Jobs:JobTimeout ({jobs.Value.JobTimeout}) must be at least 3 × Slack:Timeout + 5 s ({options.CallBudget}): a send "
                + "makes up to three Slack calls, and a job whose lease ends while a post is in flight would be run twice.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
