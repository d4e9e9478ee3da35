namespace AuditDashboard.Core.Export;

/// <summary>Whether an export whose chain is intact is the dashboard's, as far as the keys at hand can tell.</summary>
public enum AuthenticityStatus
{
    /// <summary>No key was given: only the chain was checked, which anyone who edits a file can recompute.</summary>
    NotChecked,

    /// <summary>Signed by one of the given keys, over this file's header row and final digest.</summary>
    Authentic,

    /// <summary>The file carries no signature row.</summary>
    NotSigned,

    /// <summary>The signature names a key that is not among the given ones.</summary>
    UnknownKey,

    /// <summary>The named key did not make this signature over this file's hashes: the file was altered after it was signed.</summary>
    BadSignature,
}
