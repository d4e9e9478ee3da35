using System.Collections.Frozen;
using PdfSharp.Fonts;

namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>
/// The fonts of PDF exports, installed as PDFsharp's font resolver: two logical families, <see cref="Sans"/> (regular and bold)
/// and <see cref="Mono"/>, mapped onto the faces an <see cref="IFontSource"/> gives. PDFsharp 6 finds no fonts of its own on
/// Linux, so nothing draws text before <see cref="Install"/>; the composition root calls it once at start.
/// </summary>
/// <remarks>
/// PDFsharp keeps one font resolver per process and refuses a different one once a font was used, so the first
/// <see cref="Install"/> wins and later calls return the fonts it installed. The faces are read on first use, not at install:
/// a machine without the fonts starts, and its PDF exports fail saying what to install.
/// </remarks>
public sealed class PdfFonts
{
    /// <summary>The logical sans-serif family: body text, headings (regular and bold).</summary>
    public const string Sans = "AuditDashboard Sans";

    /// <summary>The logical monospace family: hashes and digests.</summary>
    public const string Mono = "AuditDashboard Mono";

    private const string SansRegular = "audit-sans-regular";
    private const string SansBold = "audit-sans-bold";
    private const string MonoRegular = "audit-mono-regular";
    private const string MonoBold = "audit-mono-bold";

    private static readonly Lock Gate = new();
    private static PdfFonts? _installed;

    // Not cached on failure: fonts installed after a failed export are found by the next one.
    private readonly Lazy<FrozenDictionary<string, byte[]>> _faces;

    private PdfFonts(IFontSource source) =>
        _faces = new(() => FacesOf(source.Load()), LazyThreadSafetyMode.PublicationOnly);

    /// <summary>
    /// Makes PDFsharp resolve <see cref="Sans"/> and <see cref="Mono"/> from <paramref name="source"/>, unless fonts were installed
    /// before: then returns those. Safe to call from any thread. When the application set a font resolver of its own, these
    /// fonts become PDFsharp's fallback. Throws <see cref="InvalidOperationException"/> when PDFsharp already drew text with
    /// another resolver and refuses to change it.
    /// </summary>
    public static PdfFonts Install(IFontSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (Gate)
        {
            if (_installed is not null)
                return _installed;
            var fonts = new PdfFonts(source);
            var resolver = new Resolver(fonts);
            try
            {
                if (GlobalFontSettings.FontResolver is null)
                    GlobalFontSettings.FontResolver = resolver;
                else
                    GlobalFontSettings.FallbackFontResolver = resolver;
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException(
                    "PDFsharp was already used with another font resolver, so the export fonts cannot be installed: call " +
                    $"{nameof(PdfFonts)}.{nameof(Install)}() at start, before anything draws text with PDFsharp.", e);
            }

            return _installed = fonts;
        }
    }

    /// <summary>Reads the faces if they were not read yet; throws <see cref="InvalidOperationException"/> when the source has none.</summary>
    internal void EnsureLoaded() => _ = _faces.Value;

    private static FrozenDictionary<string, byte[]> FacesOf(FontFaces faces)
    {
        var named = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [SansRegular] = faces.Sans,
            [MonoRegular] = faces.Mono,
        };
        if (faces.SansBold is not null)
            named[SansBold] = faces.SansBold;
        if (faces.MonoBold is not null)
            named[MonoBold] = faces.MonoBold;
        return named.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Maps the two logical families onto the faces; any other family gets the sans face, so no request fails.</summary>
    private sealed class Resolver(PdfFonts fonts) : IFontResolver
    {
        public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic)
        {
            var faces = fonts._faces.Value;
            var mono = string.Equals(familyName, Mono, StringComparison.OrdinalIgnoreCase);
            var regular = mono ? MonoRegular : SansRegular;
            var bold = mono ? MonoBold : SansBold;
            if (!isBold)
                return new FontResolverInfo(regular, false, isItalic);
            return faces.ContainsKey(bold) ? new FontResolverInfo(bold, false, isItalic) : new FontResolverInfo(regular, true, isItalic);
        }

        public byte[]? GetFont(string faceName) => fonts._faces.Value.GetValueOrDefault(faceName);
    }
}
