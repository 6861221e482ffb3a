using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SignalCraft.Accounts;

/// <summary>Bound from <c>Accounts</c>.</summary>
public sealed class AccountsOptions
{
    public const string SectionName = "Accounts";

    /// <summary>
    /// Whether anyone may register and get a workspace (<c>Accounts__AllowRegistration</c>). A private installation
    /// turns it off after its first user; people with an invite link can still register.
    /// </summary>
    public bool AllowRegistration { get; set; } = true;

    /// <summary>How long an invite link works.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan InviteLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a password reset link works.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan ResetLinkLifetime { get; set; } = TimeSpan.FromHours(24);
}

[OptionsValidator]
internal sealed partial class AccountsOptionsValidator : IValidateOptions<AccountsOptions>;
