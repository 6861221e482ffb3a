using System.Text.Json;
using System.Text.Json.Serialization;

namespace SignalCraft.Jobs;

/// <summary>One failed attempt, kept on the job row (<c>errors</c>, a JSON array).</summary>
public sealed record JobError(
    [property: JsonPropertyName("at")] DateTime At,
    [property: JsonPropertyName("attempt")] int Attempt,
    [property: JsonPropertyName("error")] string Error);

/// <summary>Reads and appends the <c>errors</c> JSON array of a job row.</summary>
public static class JobErrors
{
    // An error message is for a person reading the row; a runaway exception text must not bloat the table.
    private const int MaxErrorLength = 2000;

    public static IReadOnlyList<JobError> Parse(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<JobError>>(json) ?? [];

    internal static string Append(string? json, JobError error)
    {
        var list = Parse(json).ToList();
        var text = error.Error.Length > MaxErrorLength ? error.Error[..MaxErrorLength] : error.Error;
        list.Add(error with { At = DateTime.SpecifyKind(error.At, DateTimeKind.Utc), Error = text });
        return JsonSerializer.Serialize(list);
    }
}
