namespace AuditDashboard.Integrity;

/// <summary>The webhook sink (section <c>Integrity:Seal:Sinks:Webhook</c>); off while <c>Url</c> is empty.</summary>
public sealed class WebhookSinkOptions
{
    /// <summary>Where each seal is posted as JSON (http or https).</summary>
    public Uri? Url { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer …</c> when set; keep it in a secret store, not in appsettings.json.</summary>
    public string? BearerToken { get; set; }

    /// <summary>How long one attempt may take.</summary>
    public double TimeoutSeconds { get; set; } = 10;
}
