using System.Globalization;
using System.Text;
using SignalCraft.Alerts;

namespace SignalCraft.Inbox;

/// <summary>Inbox filters, as given in the query string (<c>env, project, severity, minSeverity, status, source, tag, q, from, to</c>).</summary>
public sealed record InboxFilter(
    string? Env = null, string? Project = null, string? Severity = null, string? MinSeverity = null, string? Status = null,
    string? Source = null, string? Tag = null, string? Q = null, DateTime? From = null, DateTime? To = null,
    int Limit = 50, string? Cursor = null)
{
    public const int MaxLimit = 200;

    /// <summary>Checks the values a person typed; returns field → message for a validation problem.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var value in Split(Severity))
        {
            if (!SeverityNames.TryParse(value, out _))
            {
                errors["severity"] = ["Use critical, high, med, low or info."];
            }
        }
        if (MinSeverity is not null && !SeverityNames.TryParse(MinSeverity, out _))
        {
            errors["minSeverity"] = ["Use critical, high, med, low or info."];
        }
        if (Split(Status).Any(s => !GroupStatus.All.Contains(s)))
        {
            errors["status"] = ["Use open, acknowledged, snoozed or resolved (comma-separated for several)."];
        }
        if (Tag is not null && !Tag.Contains(':'))
        {
            errors["tag"] = ["Use key:value, e.g. tag=team:payments."];
        }
        if (Limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Use 1 to {MaxLimit}."];
        }
        if (Cursor is not null && InboxCursor.TryParse(Cursor) is null)
        {
            errors["cursor"] = ["This cursor is not valid; start again without it."];
        }
        return errors;
    }

    public static IEnumerable<string> Split(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Opaque keyset cursor: the last row's (lastSeenAt, id) plus the time the previous page was read. Groups whose
/// activity moved them above the cursor since then are returned again on the next page, so paging during a storm
/// may repeat a group but never skips one.
/// </summary>
public sealed record InboxCursor(DateTime ReadAt, DateTime LastSeenAt, long Id)
{
    public string Encode() => Convert.ToBase64String(Encoding.ASCII.GetBytes(
        FormattableString.Invariant($"v1|{ReadAt.Ticks}|{LastSeenAt.Ticks}|{Id}"))).TrimEnd('=');

    public static InboxCursor? TryParse(string value)
    {
        try
        {
            var padded = value.PadRight(value.Length + (4 - value.Length % 4) % 4, '=');
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(padded)).Split('|');
            return parts.Length == 4 && parts[0] == "v1"
                ? new InboxCursor(new DateTime(long.Parse(parts[1], CultureInfo.InvariantCulture), DateTimeKind.Utc),
                    new DateTime(long.Parse(parts[2], CultureInfo.InvariantCulture), DateTimeKind.Utc),
                    long.Parse(parts[3], CultureInfo.InvariantCulture))
                : null;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }
}
