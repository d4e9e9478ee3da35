namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>Where the TrueType faces of PDF exports come from (no font file is part of the repository).</summary>
public interface IFontSource
{
    /// <summary>Reads the faces; throws <see cref="InvalidOperationException"/>, saying what to install, when they are not there.</summary>
    FontFaces Load();
}
