using AuditDashboard.Adapters.Export.Pdf;
using AuditDashboard.Adapters.Tests.Embedded;

namespace AuditDashboard.Adapters.Tests.Export.Pdf;

public sealed class SystemFontFilesTests : IDisposable
{
    private readonly TempFolder _dejaVu = new();
    private readonly TempFolder _liberation = new();

    public void Dispose()
    {
        _dejaVu.Dispose();
        _liberation.Dispose();
    }

    [Fact]
    public void Load_WhenNeitherFamilyIsInstalled_SaysWhichPackageToInstall()
    {
        var source = new SystemFontFiles([_dejaVu.Path], [_liberation.Path]);

        var refused = Assert.Throws<InvalidOperationException>(source.Load);

        Assert.Contains("apt-get install fonts-dejavu-core", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TakesEachFaceFromDejaVu_AndFromLiberationWhereDejaVuLacksIt()
    {
        File.WriteAllBytes(_dejaVu.File("DejaVuSans.ttf"), [1]);
        File.WriteAllBytes(_dejaVu.File("DejaVuSansMono.ttf"), [2]);
        File.WriteAllBytes(_liberation.File("LiberationSans-Regular.ttf"), [3]);
        File.WriteAllBytes(_liberation.File("LiberationSans-Bold.ttf"), [4]);
        var source = new SystemFontFiles([_dejaVu.Path], [_liberation.Path]);

        var faces = source.Load();

        Assert.Equal([1], faces.Sans);
        Assert.Equal([2], faces.Mono);
        Assert.Equal([4], faces.SansBold);
        Assert.Null(faces.MonoBold);
    }
}
