using System.Text;

namespace SignalCraft.Bench.Faults;

/// <summary>A drill's counts as one markdown table, and its checks: a failed check fails the run (exit code 1).</summary>
public sealed class DrillReport(string title)
{
    private readonly List<(string Measure, string Value, bool? Passed)> _rows = [];
    private readonly List<string> _failures = [];

    public IReadOnlyList<string> Failures => _failures;

    /// <summary>A figure without a pass/fail verdict.</summary>
    public void Row(string measure, object value) => _rows.Add((measure, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "", null));

    /// <summary>A figure that is also a check: shown with ✅/❌, and a ❌ fails the drill.</summary>
    public void Check(string measure, object value, bool passed, string? why = null)
    {
        _rows.Add((measure, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "", passed));
        if (!passed)
        {
            _failures.Add($"{measure}: {value}{(why is null ? "" : " — " + why)}");
        }
    }

    public void Fail(string failure) => _failures.Add(failure);

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine($"### {title}");
        text.AppendLine();
        text.AppendLine("| measure | value | check |");
        text.AppendLine("|---|---|---|");
        foreach (var (measure, value, passed) in _rows)
        {
            text.AppendLine($"| {measure} | {value} | {passed switch { true => "✅", false => "❌", null => "" }} |");
        }
        return text.ToString();
    }
}
