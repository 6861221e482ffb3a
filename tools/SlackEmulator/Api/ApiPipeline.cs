using System.Diagnostics;
using Microsoft.Extensions.Options;
using SlackEmulator.Clock;
using SlackEmulator.Failures;
using SlackEmulator.Inspection;
using SlackEmulator.RateLimits;
using SlackEmulator.State;

namespace SlackEmulator.Api;

/// <summary>
/// Runs one Web API call: read arguments, scripted failure, token, tier rate limit, scope, handler
/// (under the state lock), then records the call and writes Slack's envelope.
/// </summary>
internal sealed class ApiPipeline(
    EmulatorState state,
    EmulatorClock clock,
    RateLimiter rateLimits,
    FailureInjector failures,
    CallLog callLog,
    IOptions<EmulatorOptions> options)
{
    public async Task HandleAsync(HttpContext http, string methodName)
    {
        var started = Stopwatch.GetTimestamp();
        var ct = http.RequestAborted;
        TokenGrant? grant = null;
        string? channel = null;
        FailureRule? rule = null;
        ApiResult result;
        IReadOnlyList<string> warnings = [];

        if (!ApiMethods.All.TryGetValue(methodName, out var method))
        {
            result = ApiResult.Error("unknown_method");
        }
        else
        {
            var request = await ApiRequestReader.ReadAsync(http.Request, method.JsonBody, ct);
            channel = request.Args.String("channel");
            warnings = request.Warnings;
            if (request.Token is not null)
            {
                lock (state.Gate)
                {
                    grant = state.Tokens.GetValueOrDefault(request.Token);
                }
            }

            if (request.Error is not null)
            {
                result = ApiResult.Error(request.Error);
            }
            else
            {
                rule = failures.Take(method.Name, grant?.TeamId, channel);
                result = await RunAsync(method, request, grant, rule, ct);
            }
        }

        if (result.IsOk && warnings.Count > 0)
        {
            result = result.WithWarnings(warnings);
        }

        callLog.Add(new ApiCallRecord(
            callLog.NextSeq(), clock.GetUtcNow(), methodName, grant?.TeamId, channel, result.Status, result.IsOk,
            result.Outcome, rule is not null, result.Body?["warning"]?.GetValue<string>(),
            Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        await ApiResponseWriter.WriteAsync(http, result, grant, method?.AcceptedScopes);
    }

    private async Task<ApiResult> RunAsync(ApiMethod method, ApiRequest request, TokenGrant? grant, FailureRule? rule, CancellationToken ct)
    {
        var applyFirst = rule is { ApplyFirst: true } || rule is { Kind: FailureKind.Error, ErrorCode: "fatal_error" };
        if (rule is not null && !applyFirst)
        {
            return await FailAsync(rule, ct);
        }

        var result = Execute(method, request, grant);
        return rule is null ? result : await FailAsync(rule, ct);
    }

    private ApiResult Execute(ApiMethod method, ApiRequest request, TokenGrant? grant)
    {
        var now = clock.GetUtcNow();
        if (method.NeedsToken)
        {
            var refusal = CheckToken(method, request, grant, now);
            if (refusal is not null)
            {
                return refusal;
            }
        }

        var ctx = new ApiContext
        {
            State = state,
            Args = request.Args,
            Now = now,
            RateLimits = rateLimits,
            Grant = grant,
            BasicCredentials = request.BasicCredentials,
        };
        lock (state.Gate)
        {
            // A reset between the token look-up and here removes the token's team with it.
            if (method.NeedsToken && (grant is null || !state.Teams.ContainsKey(grant.TeamId) || !state.Tokens.ContainsKey(grant.Token)))
            {
                return ApiResult.Error("invalid_auth");
            }

            return method.Handler(ctx);
        }
    }

    private ApiResult? CheckToken(ApiMethod method, ApiRequest request, TokenGrant? grant, DateTimeOffset now)
    {
        if (request.Token is null)
        {
            return ApiResult.Error("not_authed");
        }

        if (grant is null)
        {
            return ApiResult.Error("invalid_auth");
        }

        if (grant.RevokedError is { } revoked)
        {
            return ApiResult.Error(revoked);
        }

        if (grant.ExpiresAt is { } expires && now >= expires)
        {
            return ApiResult.Error("token_expired");
        }

        if (method.Tier != RateTier.Special && !rateLimits.TryTakeTier(method.Name, method.Tier, grant.TeamId, grant.AppId, out var retryAfter))
        {
            return ApiResult.RateLimited(retryAfter);
        }

        if (method.RequiredScope is { } scope && !grant.HasScope(scope))
        {
            return ApiResult.MissingScope(scope, grant.ScopeList);
        }

        return null;
    }

    private async Task<ApiResult> FailAsync(FailureRule rule, CancellationToken ct)
    {
        switch (rule.Kind)
        {
            case FailureKind.RateLimited:
                return ApiResult.RateLimited(rule.RetryAfterSeconds);
            case FailureKind.HttpError:
                return ApiResult.ServerError(rule.Status, rule.Outcome);
            case FailureKind.Timeout:
                // Real time, not the emulator clock: the client's timeout runs on the wall clock.
                var hang = TimeSpan.FromSeconds(Math.Clamp(rule.HangSeconds, 0, options.Value.MaxHangSeconds));
                try
                {
                    await Task.Delay(hang, ct);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up first, which is the point of this failure.
                }

                return ApiResult.ServerError(504, "timeout");
            default:
                return ApiResult.Error(rule.ErrorCode);
        }
    }
}
