using SignalCraft.Integrations;

namespace SignalCraft.Web.Integrations;

/// <summary>Webhook outcome reasons (stored codes) in words, for the Integrations pages.</summary>
public static class WebhookReasonText
{
    public static string Describe(string reason) => reason switch
    {
        WebhookReasons.Accepted => "accepted",
        WebhookReasons.Duplicate => "repeat of a stored event",
        WebhookReasons.Quarantined => "unreadable body, kept in quarantine",
        WebhookReasons.Disabled => "integration disabled",
        WebhookReasons.TooLarge => "body over 1 MiB",
        WebhookReasons.MissingSignature => "no signature",
        WebhookReasons.BadSignature => "bad signature (check the client secret)",
        WebhookReasons.StaleTimestamp => "timestamp more than 5 minutes off",
        WebhookReasons.NoClientSecret => "no client secret set yet",
        WebhookReasons.WrongMode => "payload of the other mode (signed vs legacy)",
        WebhookReasons.RateLimited => "too many failed verifications",
        WebhookReasons.DatabaseUnavailable => "database unavailable",
        _ => reason.Replace('_', ' '),
    };
}
