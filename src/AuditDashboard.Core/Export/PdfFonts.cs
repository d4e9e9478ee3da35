using System.Collections.Frozen;
using PdfSharp.Fonts;

namespace AuditDashboard.Export;

/// <summary>
/// The fonts of PDF exports. PDFsharp 6 finds no fonts of its own on Linux, so a font resolver maps two logical families,
/// <see cref="Sans"/> (regular and bold) and <see cref="Mono"/>, to the system's TrueType files: DejaVu Sans and DejaVu
/// Sans Mono (Debian package <c>fonts-dejavu-core</c>), else Liberation Sans and Liberation Mono (<c>fonts-liberation</c>).
/// No font file is part of the repository.
/// </summary>
/// <remarks>
/// PDFsharp keeps one font resolver per process and refuses a different one once a font was used. <see cref="EnsureRegistered"/>
/// is idempotent and thread-safe: the first call installs the resolver (or, when the application installed its own, adds
/// this one as PDFsharp's fallback), every later call returns at once.
/// </remarks>
public static class PdfFonts
{
    /// <summary>The logical sans-serif family: body text, headings (regular and bold).</summary>
    public const string Sans = "AuditDashboard Sans";

    /// <summary>The logical monospace family: hashes and digests.</summary>
    public const string Mono = "AuditDashboard Mono";

    private const string SansRegular = "audit-sans-regular";
    private const string SansBold = "audit-sans-bold";
    private const string MonoRegular = "audit-mono-regular";
    private const string MonoBold = "audit-mono-bold";

    private static readonly string[] DejaVuFolders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF"];
    private static readonly string[] LiberationFolders = ["/usr/share/fonts/truetype/liberation", "/usr/share/fonts/liberation", "/usr/share/fonts/TTF"];

    private static readonly Lazy<FrozenDictionary<string, byte[]>> Faces = new(LoadFaces, LazyThreadSafetyMode.PublicationOnly);
    private static readonly Lock Gate = new();
    private static readonly SystemFontResolver Resolver = new();
    private static volatile bool _registered;

    /// <summary>
    /// Makes PDFsharp resolve <see cref="Sans"/> and <see cref="Mono"/>. Safe to call any number of times from any thread.
    /// Throws <see cref="InvalidOperationException"/> when the system has none of the fonts (the message names the package
    /// to install) or when PDFsharp already drew text with another resolver and refuses to change it.
    /// </summary>
    public static void EnsureRegistered()
    {
        if (_registered)
            return;
        lock (Gate)
        {
            if (_registered)
                return;
            _ = Faces.Value;
            try
            {
                var current = GlobalFontSettings.FontResolver;
                if (current is null)
                    GlobalFontSettings.FontResolver = Resolver;
                else if (current is not SystemFontResolver && GlobalFontSettings.FallbackFontResolver is not SystemFontResolver)
                    GlobalFontSettings.FallbackFontResolver = Resolver;
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException(
                    "PDFsharp was already used with another font resolver, so the export fonts cannot be installed: call " +
                    $"{nameof(PdfFonts)}.{nameof(EnsureRegistered)}() at startup, before anything draws text with PDFsharp.", e);
            }

            _registered = true;
        }
    }

    private static FrozenDictionary<string, byte[]> LoadFaces()
    {
        var sans = Find(DejaVuFolders, "DejaVuSans.ttf") ?? Find(LiberationFolders, "LiberationSans-Regular.ttf");
        var mono = Find(DejaVuFolders, "DejaVuSansMono.ttf") ?? Find(LiberationFolders, "LiberationMono-Regular.ttf");
        if (sans is null || mono is null)
        {
            throw new InvalidOperationException(
                "PDF exports need the DejaVu or Liberation TrueType fonts, and none were found under /usr/share/fonts: install the " +
                "Debian package fonts-dejavu-core (apt-get install fonts-dejavu-core), or fonts-liberation.");
        }

        var sansBold = Find(DejaVuFolders, "DejaVuSans-Bold.ttf") ?? Find(LiberationFolders, "LiberationSans-Bold.ttf");
        var monoBold = Find(DejaVuFolders, "DejaVuSansMono-Bold.ttf") ?? Find(LiberationFolders, "LiberationMono-Bold.ttf");
        var faces = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [SansRegular] = File.ReadAllBytes(sans),
            [MonoRegular] = File.ReadAllBytes(mono),
        };
        if (sansBold is not null)
            faces[SansBold] = File.ReadAllBytes(sansBold);
        if (monoBold is not null)
            faces[MonoBold] = File.ReadAllBytes(monoBold);
        return faces.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string? Find(string[] folders, string fileName) =>
        folders.Select(folder => Path.Combine(folder, fileName)).FirstOrDefault(File.Exists);

    /// <summary>Maps the two logical families onto the faces found; any other family gets the sans face, so no request fails.</summary>
    private sealed class SystemFontResolver : IFontResolver
    {
        public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic)
        {
            var faces = Faces.Value;
            var mono = string.Equals(familyName, Mono, StringComparison.OrdinalIgnoreCase);
            var regular = mono ? MonoRegular : SansRegular;
            var bold = mono ? MonoBold : SansBold;
            if (!isBold)
                return new FontResolverInfo(regular, false, isItalic);
            return faces.ContainsKey(bold) ? new FontResolverInfo(bold, false, isItalic) : new FontResolverInfo(regular, true, isItalic);
        }

        public byte[]? GetFont(string faceName) => Faces.Value.GetValueOrDefault(faceName);
    }
}
