using System.Text.Json.Nodes;

namespace AuditDashboard.Tests.Support;

/// <summary>The JSON bodies of <c>POST /api/accounts/{id}/corrections</c>, as a client writes them.</summary>
public static class CorrectionBodies
{
    public static JsonObject Reversal(Guid eventId, long expectedRevision, string reason, Guid? commandId = null) => new()
    {
        ["kind"] = "reversal",
        ["eventId"] = eventId,
        ["reason"] = reason,
        ["expectedRevision"] = expectedRevision,
        ["commandId"] = commandId ?? Guid.NewGuid(),
    };

    public static JsonObject Adjustment(decimal amount, long expectedRevision, string reason) => new()
    {
        ["kind"] = "adjustment",
        ["amount"] = amount,
        ["reason"] = reason,
        ["expectedRevision"] = expectedRevision,
        ["commandId"] = Guid.NewGuid(),
    };
}
