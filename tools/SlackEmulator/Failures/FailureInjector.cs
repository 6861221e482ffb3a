using SlackEmulator.Clock;

namespace SlackEmulator.Failures;

/// <summary>The scripted failures; the first live rule matching a call is used (and counted).</summary>
internal sealed class FailureInjector(EmulatorClock clock)
{
    private readonly Lock _gate = new();
    private readonly List<FailureRule> _rules = [];

    public FailureRule Add(FailureRule rule)
    {
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    public IReadOnlyList<FailureRule> List()
    {
        lock (_gate)
        {
            return [.. _rules];
        }
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            return _rules.RemoveAll(r => r.Id == id) > 0;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>Takes one use of the first live matching rule, if any.</summary>
    public FailureRule? Take(string method, string? teamId, string? channel)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var rule = _rules.FirstOrDefault(r => r.IsLive(now) && r.Matches(method, teamId, channel));
            if (rule is null)
            {
                return null;
            }

            rule.Hits++;
            if (rule.RemainingCount is { } left)
            {
                rule.RemainingCount = left - 1;
            }

            return rule;
        }
    }
}
