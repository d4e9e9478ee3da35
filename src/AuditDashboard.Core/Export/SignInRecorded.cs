namespace AuditDashboard.Core.Export;

/// <summary>
/// A sign-in, a failed one, a lockout or a sign-out, as the access log records it. Which of them it is, is the event's
/// type (<see cref="SignInEvents"/>). <see cref="UserName"/> is the name that was tried (null for an API key that
/// matched none); <see cref="Method"/> is <c>password</c>, <c>single-sign-on</c> or <c>api-key</c>.
/// </summary>
public sealed record SignInRecorded(
    string? UserName,
    string Method,
    string? ClientAddress,
    DateTimeOffset At,
    string? Problem = null,
    DateTimeOffset? LockedUntil = null);
