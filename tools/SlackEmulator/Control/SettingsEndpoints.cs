using SlackEmulator.Clock;
using SlackEmulator.RateLimits;
using SlackEmulator.State;

namespace SlackEmulator.Control;

/// <summary>Control API for the clock, rate limits, behaviour switches and reset.</summary>
internal static class SettingsEndpoints
{
    public static RouteGroupBuilder MapSettingsEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/clock", (EmulatorClock clock) => Results.Ok(ClockView(clock)));
        group.MapPut("/clock", (ClockRequest body, EmulatorClock clock) =>
        {
            if (body.Now is not { } now)
            {
                return Results.BadRequest(new { error = "now is required" });
            }

            clock.Set(now, body.Frozen ?? true);
            return Results.Ok(ClockView(clock));
        });
        group.MapPost("/clock/advance", (AdvanceRequest body, EmulatorClock clock) =>
        {
            var by = TimeSpan.FromSeconds(body.Seconds ?? 0) + TimeSpan.FromMilliseconds(body.Milliseconds ?? 0);
            if (by < TimeSpan.Zero)
            {
                return Results.BadRequest(new { error = "the clock only moves forward; use PUT /_emulator/clock to set it" });
            }

            clock.Advance(by);
            return Results.Ok(ClockView(clock));
        });

        group.MapGet("/rate-limits", (RateLimiter limits) => Results.Ok(limits.Settings));
        group.MapPut("/rate-limits", (RateLimitRequest body, RateLimiter limits) =>
        {
            var s = limits.Settings;
            var next = s with
            {
                Enabled = body.Enabled ?? s.Enabled,
                PostsPerSecond = body.PostsPerSecond ?? s.PostsPerSecond,
                PostBurst = body.PostBurst ?? s.PostBurst,
                Tier2PerMinute = body.Tier2PerMinute ?? s.Tier2PerMinute,
                Tier3PerMinute = body.Tier3PerMinute ?? s.Tier3PerMinute,
                Tier4PerMinute = body.Tier4PerMinute ?? s.Tier4PerMinute,
                LowHistoryLimit = body.LowHistoryLimit ?? s.LowHistoryLimit,
            };
            if (next.PostsPerSecond <= 0 || next.PostBurst < 1)
            {
                return Results.BadRequest(new { error = "postsPerSecond must be > 0 and postBurst >= 1" });
            }

            limits.Configure(next);
            return Results.Ok(next);
        });

        group.MapGet("/behavior", (EmulatorState state) => Results.Ok(state.Behavior));
        group.MapPut("/behavior", (BehaviorRequest body, EmulatorState state) =>
        {
            lock (state.Gate)
            {
                state.Behavior = state.Behavior with { RejectUnknownThreadTs = body.RejectUnknownThreadTs ?? state.Behavior.RejectUnknownThreadTs };
                return Results.Ok(state.Behavior);
            }
        });

        group.MapPost("/reset", (ResetRequest? body, EmulatorReset reset, Seeder seeder) =>
        {
            reset.Reset(body?.Seed ?? seeder.Enabled);
            return Results.NoContent();
        });
        return group;
    }

    private static ClockResponse ClockView(EmulatorClock clock)
    {
        var now = clock.GetUtcNow();
        return new ClockResponse(now, SlackTs.UnixSeconds(now), SlackTs.Format(now), clock.IsFrozen);
    }
}
