using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.IO;

namespace AuditDashboard.Adapters.Export.Pdf;

/// <summary>
/// The NDJSON rows a PDF export carries as its one attached file (see <see cref="PdfExportWriter"/>), read back so that a PDF
/// can be verified like any NDJSON export. The drawn pages are not compared with it: they are a rendering of those rows.
/// </summary>
/// <param name="Name">The attachment's name in the PDF, e.g. <c>ACC-1_recorded_20261127T201240Z.ndjson</c>.</param>
public sealed record PdfExportAttachment(string Name, byte[] Bytes)
{
    /// <summary>Reads the one attached file of <paramref name="pdf"/>.</summary>
    /// <exception cref="InvalidDataException">It is not a PDF that can be read, or it does not carry exactly one attached file.</exception>
    public static PdfExportAttachment Read(Stream pdf)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        PdfDocument document;
        try
        {
            document = PdfReader.Open(pdf, PdfDocumentOpenMode.Import);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The parser reports broken input through many exception types; for a reviewer they all mean one thing.
            throw new InvalidDataException($"The file is not a PDF that can be read ({ex.Message}): it is not a PDF export, or it was cut or altered.", ex);
        }

        using (document)
        {
            var files = Attached(document);
            if (files.Count != 1)
            {
                throw new InvalidDataException(files.Count == 0
                    ? "The PDF carries no attached file: it is not a PDF export of this dashboard (which attaches its rows as NDJSON), or the attachment was removed."
                    : $"The PDF carries {files.Count} attached files; a PDF export carries exactly one, its rows as NDJSON.");
            }

            var (name, spec) = files[0];
            var stream = StreamOf(spec) ?? throw new InvalidDataException($"The PDF's attachment '{name}' holds no embedded file.");
            return new PdfExportAttachment(name, stream.UnfilteredValue);
        }
    }

    /// <summary>The attached files of <paramref name="document"/>: their names and file specifications.</summary>
    internal static List<(string Name, PdfDictionary Spec)> Attached(PdfDocument document)
    {
        var files = new List<(string Name, PdfDictionary Spec)>();
        var tree = document.Internals.Catalog.Elements.GetDictionary("/Names")?.Elements.GetDictionary("/EmbeddedFiles");
        if (tree is not null)
            Collect(tree, files, depth: 0);
        return files;
    }

    /// <summary>The embedded file stream a file specification names, or null.</summary>
    internal static PdfDictionary.PdfStream? StreamOf(PdfDictionary spec) => spec.Elements.GetDictionary("/EF")?.Elements.GetDictionary("/F")?.Stream;

    /// <summary>The name/file-specification pairs of a PDF name tree (leaves hold /Names, inner nodes /Kids).</summary>
    private static void Collect(PdfDictionary node, List<(string, PdfDictionary)> files, int depth)
    {
        // A crafted file could nest without end; a real one is one or two levels deep.
        if (depth > 16)
            throw new InvalidDataException("The PDF's list of attached files nests too deep.");
        if (node.Elements.GetArray("/Names") is { } names)
        {
            for (var i = 0; i + 1 < names.Elements.Count; i += 2)
            {
                var key = Resolve(names.Elements[i]) is PdfString text ? text.Value : "?";
                if (Resolve(names.Elements[i + 1]) is PdfDictionary spec)
                    files.Add((key, spec));
            }
        }

        if (node.Elements.GetArray("/Kids") is { } kids)
        {
            foreach (var kid in kids.Elements)
            {
                if (Resolve(kid) is PdfDictionary child)
                    Collect(child, files, depth + 1);
            }
        }
    }

    private static PdfItem? Resolve(PdfItem? item) => item is PdfReference reference ? reference.Value : item;
}
