using SlackEmulator.Clock;
using SlackEmulator.Failures;
using SlackEmulator.Inspection;
using SlackEmulator.Interactivity;
using SlackEmulator.RateLimits;

namespace SlackEmulator.State;

/// <summary>Puts every part of the emulator back to its start: state, logs, failures, limits and clock.</summary>
internal sealed class EmulatorReset(
    EmulatorState state,
    EmulatorClock clock,
    RateLimiter rateLimits,
    FailureInjector failures,
    CallLog calls,
    CallbackLog callbacks,
    ResponseUrls responseUrls,
    Seeder seeder)
{
    public void Reset(bool seed)
    {
        clock.Reset();
        failures.Clear();
        rateLimits.Reset();
        calls.Clear();
        callbacks.Clear();
        responseUrls.Clear();
        lock (state.Gate)
        {
            state.Clear();
        }

        if (seed)
        {
            seeder.Apply();
        }
    }
}
