namespace AuditDashboard.Auth;

/// <summary>Marks the page whose form posts are sign-in attempts: the sign-in throttles count them.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SignInFormAttribute : Attribute;
