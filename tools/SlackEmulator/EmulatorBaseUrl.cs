using Microsoft.Extensions.Options;

namespace SlackEmulator;

/// <summary>
/// The emulator's own address as clients reach it, for response_url values: Emulator:PublicBaseUrl
/// when set, otherwise the scheme and host of the request being served.
/// </summary>
internal sealed class EmulatorBaseUrl(IOptions<EmulatorOptions> options)
{
    public string For(HttpRequest request) =>
        string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl)
            ? $"{request.Scheme}://{request.Host}"
            : options.Value.PublicBaseUrl.TrimEnd('/');
}
