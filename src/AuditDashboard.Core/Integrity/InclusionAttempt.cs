namespace AuditDashboard.Core.Integrity;

/// <summary>The outcome of proving one event against one seal: the proof when <see cref="Status"/> is included.</summary>
/// <param name="LeafIndex">The leaf sealed at the event's position, when the seal covers it.</param>
public sealed record InclusionAttempt(InclusionStatus Status, InclusionProof? Proof = null, long? LeafIndex = null);
