namespace AuditDashboard.Components.Common;

/// <summary>Counts formatted like the money beside them (invariant digits), whatever the server's culture.</summary>
public static class Figures
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Count(long? value) => value is { } v ? Count(v) : "—";
}
