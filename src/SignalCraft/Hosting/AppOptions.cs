using Microsoft.Extensions.Options;

namespace SignalCraft.Hosting;

/// <summary>Bound from <c>App</c>.</summary>
public sealed class AppOptions
{
    public const string SectionName = "App";

    /// <summary>
    /// The address users and Slack reach this instance at (<c>App__PublicBaseUrl</c>): used in webhook URLs, the
    /// OAuth redirect URI, links in Slack messages and the Slack app manifest. Defaults to the first listening address.
    /// </summary>
    public string? PublicBaseUrl { get; set; }
}

internal sealed class AppOptionsValidator : IValidateOptions<AppOptions>
{
    public ValidateOptionsResult Validate(string? name, AppOptions options)
    {
        if (options.PublicBaseUrl is null)
        {
            return ValidateOptionsResult.Success;
        }
        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return ValidateOptionsResult.Fail(
                $"App:PublicBaseUrl must be an absolute http(s) URL without query or fragment, e.g. https://alerts.example.com (got '{options.PublicBaseUrl}').");
        }
        return ValidateOptionsResult.Success;
    }
}
