namespace AuditDashboard.Security;

/// <summary>
/// How large a request body may be (section <c>RequestLimits</c>). Every other body is bounded by the server's own limit
/// (Kestrel: <c>Kestrel:Limits:MaxRequestBodySize</c>, 30,000,000 bytes by default).
/// </summary>
public sealed class RequestLimitOptions
{
    public const string Section = "RequestLimits";

    /// <summary>
    /// The largest body of a command: a POST, PUT, PATCH or DELETE under <c>/api</c> (a correction, an approval, a rejection,
    /// replaying parked events). A correction with the longest reason allowed is about 5 KB.
    /// </summary>
    [Range(1_024, 10_485_760, ErrorMessage = "RequestLimits:CommandBodyBytes must be between 1024 and 10485760.")]
    public long CommandBodyBytes { get; set; } = 65_536;
}
