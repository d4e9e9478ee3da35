using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace AuditDashboard.Core.Tests.Architecture;

/// <summary>
/// What the compiled Core assembly names from other assemblies, read from its metadata: the assemblies it references and
/// every type and member it calls. The compiled form, not the source, so an alias, a <c>using static</c> or a fully
/// qualified name hides nothing.
/// </summary>
internal static class CoreAssembly
{
    public static Assembly Loaded { get; } = typeof(AccountFold).Assembly;

    /// <summary>The Core project file, whose path the test project's build records (see its csproj).</summary>
    public static string ProjectFile { get; } =
        typeof(CoreAssembly).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "CoreProjectFile")?.Value
        ?? throw new InvalidOperationException("The test assembly carries no 'CoreProjectFile' metadata; it is set in AuditDashboard.Core.Tests.csproj.");

    /// <summary>Every type Core refers to in another assembly, as <c>Namespace.Name</c> (nested types as <c>Outer+Inner</c>).</summary>
    public static IReadOnlyList<string> TypeReferences { get; } = Read(reader =>
        reader.TypeReferences.Select(handle => NameOf(reader, handle)).Distinct(StringComparer.Ordinal).ToList());

    /// <summary>Every member Core calls in another assembly: its declaring type, name and parameter types.</summary>
    public static IReadOnlyList<MemberUse> MemberReferences { get; } = Read(reader =>
    {
        var names = new TypeNames(reader);
        var members = new List<MemberUse>();
        foreach (var handle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(handle);
            if (member.GetKind() != MemberReferenceKind.Method)
                continue;
            var owner = member.Parent.Kind switch
            {
                HandleKind.TypeReference => NameOf(reader, (TypeReferenceHandle)member.Parent),
                HandleKind.TypeSpecification => reader.GetTypeSpecification((TypeSpecificationHandle)member.Parent).DecodeSignature(names, null),
                _ => "",
            };
            var signature = member.DecodeMethodSignature(names, null);
            members.Add(new MemberUse(owner, reader.GetString(member.Name), signature.ParameterTypes));
        }

        return members;
    });

    private static T Read<T>(Func<MetadataReader, T> read)
    {
        using var stream = File.OpenRead(Loaded.Location);
        using var pe = new PEReader(stream);
        return read(pe.GetMetadataReader());
    }

    private static string NameOf(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        var name = reader.GetString(type.Name);
        return type.ResolutionScope.Kind == HandleKind.TypeReference
            ? NameOf(reader, (TypeReferenceHandle)type.ResolutionScope) + "+" + name
            : reader.GetString(type.Namespace) + "." + name;
    }

    /// <summary>A call from Core into another assembly.</summary>
    public sealed record MemberUse(string Type, string Name, ImmutableArray<string> Parameters)
    {
        public override string ToString() => $"{Type}.{Name}({string.Join(", ", Parameters)})";
    }

    /// <summary>Names the types of a signature well enough to tell one overload from another.</summary>
    private sealed class TypeNames(MetadataReader reader) : ISignatureTypeProvider<string, object?>
    {
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetFunctionPointerType(MethodSignature<string> signature) => "delegate*";

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
            $"{genericType}<{string.Join(", ", typeArguments)}>";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType) => elementType;

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var type = metadata.GetTypeDefinition(handle);
            return metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name);
        }

        public string GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind) => NameOf(reader, handle);

        public string GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            metadata.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
