using Microsoft.JSInterop;

namespace AuditDashboard.Components.Common;

/// <summary>What a page may meet when it calls the browser's script, and carries on without.</summary>
public static class BrowserCalls
{
    /// <summary>
    /// True for the failures of a call into the browser a page outlives: the viewer left (disconnected), the script
    /// threw or was not loaded, or the call timed out.
    /// </summary>
    public static bool Failed(Exception exception) => exception is JSDisconnectedException or JSException or TaskCanceledException;
}
