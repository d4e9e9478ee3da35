namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>
/// The system's font files: DejaVu Sans and DejaVu Sans Mono (Debian package <c>fonts-dejavu-core</c>), else Liberation Sans
/// and Liberation Mono (<c>fonts-liberation</c>), in the folders where Debian and other distributions put them.
/// </summary>
public sealed class SystemFontFiles : IFontSource
{
    private static readonly string[] DefaultDejaVuFolders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF"];
    private static readonly string[] DefaultLiberationFolders = ["/usr/share/fonts/truetype/liberation", "/usr/share/fonts/liberation", "/usr/share/fonts/TTF"];

    private readonly string[] _dejaVuFolders;
    private readonly string[] _liberationFolders;

    /// <summary>The fonts under <c>/usr/share/fonts</c>.</summary>
    public SystemFontFiles()
        : this(DefaultDejaVuFolders, DefaultLiberationFolders)
    {
    }

    /// <summary>The fonts in the folders given, searched in order.</summary>
    public SystemFontFiles(IEnumerable<string> dejaVuFolders, IEnumerable<string> liberationFolders)
    {
        ArgumentNullException.ThrowIfNull(dejaVuFolders);
        ArgumentNullException.ThrowIfNull(liberationFolders);
        _dejaVuFolders = [.. dejaVuFolders];
        _liberationFolders = [.. liberationFolders];
    }

    public FontFaces Load()
    {
        var sans = Find(_dejaVuFolders, "DejaVuSans.ttf") ?? Find(_liberationFolders, "LiberationSans-Regular.ttf");
        var mono = Find(_dejaVuFolders, "DejaVuSansMono.ttf") ?? Find(_liberationFolders, "LiberationMono-Regular.ttf");
        if (sans is null || mono is null)
        {
            throw new InvalidOperationException(
                "PDF exports need the DejaVu or Liberation TrueType fonts, and none were found under /usr/share/fonts: install the " +
                "Debian package fonts-dejavu-core (apt-get install fonts-dejavu-core), or fonts-liberation.");
        }

        var sansBold = Find(_dejaVuFolders, "DejaVuSans-Bold.ttf") ?? Find(_liberationFolders, "LiberationSans-Bold.ttf");
        var monoBold = Find(_dejaVuFolders, "DejaVuSansMono-Bold.ttf") ?? Find(_liberationFolders, "LiberationMono-Bold.ttf");
        return new FontFaces(
            File.ReadAllBytes(sans),
            File.ReadAllBytes(mono),
            sansBold is null ? null : File.ReadAllBytes(sansBold),
            monoBold is null ? null : File.ReadAllBytes(monoBold));
    }

    private static string? Find(string[] folders, string fileName) =>
        folders.Select(folder => Path.Combine(folder, fileName)).FirstOrDefault(File.Exists);
}
