namespace SlackEmulator.Clock;

/// <summary>
/// The emulator's only source of "now". It wraps an injected <see cref="TimeProvider"/> and adds an
/// offset (or a frozen instant) that the control API can set or advance, so a test can move the
/// emulator's rate buckets, message timestamps and callback signatures together with its own
/// FakeTimeProvider.
/// </summary>
public sealed class EmulatorClock(TimeProvider inner) : TimeProvider
{
    private readonly Lock _gate = new();
    private TimeSpan _offset;
    private DateTimeOffset? _frozenAt;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _frozenAt ?? inner.GetUtcNow() + _offset;
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public bool IsFrozen
    {
        get { lock (_gate) { return _frozenAt is not null; } }
    }

    /// <summary>Jumps to <paramref name="now"/>; when frozen, time stands still until advanced.</summary>
    public void Set(DateTimeOffset now, bool frozen)
    {
        lock (_gate)
        {
            _offset = now - inner.GetUtcNow();
            _frozenAt = frozen ? now : null;
        }
    }

    public DateTimeOffset Advance(TimeSpan by)
    {
        lock (_gate)
        {
            if (_frozenAt is { } frozen)
            {
                _frozenAt = frozen + by;
                return _frozenAt.Value;
            }

            _offset += by;
            return inner.GetUtcNow() + _offset;
        }
    }

    /// <summary>Back to the inner provider's time, running.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _offset = TimeSpan.Zero;
            _frozenAt = null;
        }
    }
}
