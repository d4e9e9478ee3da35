namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>
/// The TrueType files PDF exports draw with: a sans-serif face for text and a monospace face for hashes, each with its bold
/// face when there is one (without it, PDFsharp emboldens the regular face).
/// </summary>
public sealed record FontFaces(byte[] Sans, byte[] Mono, byte[]? SansBold = null, byte[]? MonoBold = null);
