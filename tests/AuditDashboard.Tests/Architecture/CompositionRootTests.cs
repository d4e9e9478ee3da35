using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using AuditDashboard.Adapters.Kafka;
using AuditDashboard.Hosting;
using Microsoft.AspNetCore.Components;

namespace AuditDashboard.Tests.Architecture;

/// <summary>
/// Only the composition root (<c>src/AuditDashboard/Hosting</c>, namespace <c>AuditDashboard.Hosting</c>) knows the adapters:
/// pages, endpoints and services speak to Core's ports and contracts. Checked twice: in the source (no file outside Hosting
/// names a namespace only the adapters declare) and in the compiled app (no type outside Hosting uses a type of the
/// adapters or of the libraries they wrap, in a signature or in a method body).
/// </summary>
public sealed class CompositionRootTests
{
    private const string HostingNamespace = "AuditDashboard.Hosting";

    /// <summary>The technologies the adapters wrap: reaching them directly is reaching past the adapters.</summary>
    private static readonly string[] AdapterLibraries = ["Confluent.Kafka", "Microsoft.Data.Sqlite", "Grpc.Net.Client", "Grpc.Core.Api", "Google.Protobuf", "Polly.Core"];

    private static readonly Assembly App = typeof(AuditDashboardSetup).Assembly;

    private static readonly Assembly Adapters = typeof(KafkaMirror).Assembly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void AppSource_OutsideHosting_NamesNoNamespaceOfTheAdapters()
    {
        var adapterOnly = Adapters.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Except(typeof(IEventStore).Assembly.GetTypes().Select(t => t.Namespace).OfType<string>())
            .Distinct().ToList();
        var mention = new Regex(@"\b(" + string.Join('|', adapterOnly.Select(Regex.Escape)) + @")\b", RegexOptions.None, TimeSpan.FromSeconds(1));
        var appFolder = Path.Combine(RepositoryRoot(), "src", "AuditDashboard");

        var offenders = Directory.EnumerateFiles(appFolder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(appFolder, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("Hosting/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(Path.Combine(appFolder, f)).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => mention.IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.Contains("AuditDashboard.Adapters.Kafka", adapterOnly);
        Assert.True(offenders.Count == 0, "Outside Hosting/, these lines name an adapter namespace:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void AppTypes_OutsideHosting_UseNoTypeOfTheAdaptersOrOfTheLibrariesTheyWrap()
    {
        var forbidden = AdapterLibraries.Select(name => Assembly.Load(new AssemblyName(name))).Append(Adapters).ToHashSet();

        var offenders = App.GetTypes()
            .Where(t => Outermost(t).Namespace != HostingNamespace)
            .SelectMany(t => UsedTypes(t).Where(used => forbidden.Contains(used.Assembly)).Select(used => $"{Outermost(t).FullName} uses {used.FullName}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(offenders.Count == 0, "Outside AuditDashboard.Hosting:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void Components_InjectTheirServices_NeverTheServiceProvider()
    {
        var offenders = App.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .Where(p => p.PropertyType == typeof(IServiceProvider) && p.GetCustomAttribute<InjectAttribute>() is not null)
                .Select(p => $"{t.FullName}.{p.Name}"))
            .ToList();

        Assert.Empty(offenders);
    }

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    /// <summary>Every type <paramref name="type"/> names: its base and interfaces, its members' signatures, their locals and their IL.</summary>
    private static IEnumerable<Type> UsedTypes(Type type)
    {
        const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var named = new List<Type?> { type.BaseType };
        named.AddRange(type.GetInterfaces());
        named.AddRange(type.GetFields(Declared).Select(f => f.FieldType));
        named.AddRange(type.GetProperties(Declared).Select(p => p.PropertyType));
        named.AddRange(type.GetEvents(Declared).Select(e => e.EventHandlerType));
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            named.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
                named.Add(info.ReturnType);
            if (method.GetMethodBody() is { } body)
            {
                named.AddRange(body.LocalVariables.Select(l => l.LocalType));
                named.AddRange(TypesInIl(type, method, body));
            }
        }

        return named.OfType<Type>().SelectMany(Parts);
    }

    /// <summary>The types, fields and methods the method's instructions refer to, by their declaring and signature types.</summary>
    private static IEnumerable<Type?> TypesInIl(Type type, MethodBase method, MethodBody body)
    {
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var value = (short)il[at++];
            if (value == 0xFE)
                value = unchecked((short)(0xFE00 | il[at++]));
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    at += 4;
                    foreach (var named in Named(member))
                        yield return named;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += OperandSize(opCode.OperandType);
                    break;
            }
        }
    }

    private static IEnumerable<Type?> Named(MemberInfo? member) => member switch
    {
        Type t => [t],
        FieldInfo f => [f.DeclaringType, f.FieldType],
        MethodInfo m => [m.DeclaringType, m.ReturnType, .. m.GetParameters().Select(p => p.ParameterType), .. m.IsGenericMethod ? m.GetGenericArguments() : []],
        ConstructorInfo c => [c.DeclaringType, .. c.GetParameters().Select(p => p.ParameterType)],
        _ => [],
    };

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };

    /// <summary>A type and what it is made of: the element of an array or reference, the arguments of a generic.</summary>
    private static IEnumerable<Type> Parts(Type type)
    {
        yield return type;
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var part in Parts(element))
                yield return part;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var part in type.GetGenericArguments().SelectMany(Parts))
                yield return part;
        }
    }

    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "AuditDashboard.sln")))
                return folder.FullName;
        }

        throw new InvalidOperationException($"No AuditDashboard.sln above {AppContext.BaseDirectory}: the test reads the app's source from the repository.");
    }
}
