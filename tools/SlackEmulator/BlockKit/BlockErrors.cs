namespace SlackEmulator.BlockKit;

/// <summary>
/// Collects invalid_blocks details in Slack's wording: "&lt;problem&gt; [json-pointer:/blocks/N/...]"
/// (the wording of the length errors is taken from real Slack responses; the rest follows it).
/// </summary>
internal sealed class BlockErrors
{
    public List<string> Details { get; } = [];

    public bool Any => Details.Count > 0;

    public void TooLong(int max, string pointer) => Add($"must be less than {max + 1} characters", pointer);

    public void Empty(string pointer) => Add("must be more than 0 characters", pointer);

    public void TooMany(int max, string pointer) => Add($"no more than {max} items allowed", pointer);

    public void TooFew(int min, string pointer) => Add($"must provide at least {min} items", pointer);

    public void Missing(string field, string pointer) => Add($"missing required field: {field}", pointer);

    public void Schema(string pointer) => Add("failed to match all allowed schemas", pointer);

    public void NotOneOf(string pointer) => Add("must be one of the provided values", pointer);

    public void Duplicate(string what, string pointer) => Add($"{what} must be unique", pointer);

    public void Add(string problem, string pointer) => Details.Add($"{problem} [json-pointer:{pointer}]");
}
