namespace AuditDashboard.Hosting;

/// <summary>A command line that cannot be followed; the message says what to type instead.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
