using System.Reflection;
using System.Reflection.Emit;

namespace IdResolution.Node.Tests.Architecture;

/// <summary>
/// Which namespaces of one assembly use which others, read from the compiled code itself: signatures,
/// locals and the tokens of every IL instruction. Reading IL rather than <c>using</c> lines also sees
/// references a C# file needs no <c>using</c> for (a parent namespace's types, fully qualified names).
/// A nested or compiler-generated type (lambda closure, async state machine) counts as its outermost type.
/// </summary>
internal sealed class NamespaceGraph
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    private readonly Assembly _assembly;
    /// <summary>Namespace → namespaces it uses, each with one example ("Type uses Type") to name in a failure.</summary>
    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    private NamespaceGraph(Assembly assembly) => _assembly = assembly;

    public static NamespaceGraph Of(Assembly assembly)
    {
        var graph = new NamespaceGraph(assembly);
        foreach (var type in assembly.GetTypes())
        {
            graph.Visit(type);
        }

        return graph;
    }

    /// <summary>
    /// Each cycle with the uses that close it (<c>A → B (Type uses Type)</c>, namespaces relative to the assembly's),
    /// so a failure says which type to move; one checker for every test project that looks at an assembly.
    /// </summary>
    public IReadOnlyList<string> DescribedCycles()
    {
        var root = _assembly.GetName().Name!;
        return Cycles().Select(cycle => string.Join(", ", cycle) + ": " + string.Join("; ",
            cycle.SelectMany(from => _edges[from].Where(edge => cycle.Contains(edge.Key)).Select(edge => $"{Short(from)} → {Short(edge.Key)} ({edge.Value})")))).ToList();

        string Short(string ns) => ns.Length > root.Length ? ns[(root.Length + 1)..] : "(root)";
    }

    /// <summary>The strongly connected sets of two or more namespaces: each is a cycle.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = 0;
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLinks = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();

        void Connect(string node)
        {
            indexes[node] = lowLinks[node] = index++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in _edges.TryGetValue(node, out var targets) ? targets.Keys : Enumerable.Empty<string>())
            {
                if (!indexes.ContainsKey(next))
                {
                    Connect(next);
                    lowLinks[node] = Math.Min(lowLinks[node], lowLinks[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLinks[node] = Math.Min(lowLinks[node], indexes[next]);
                }
            }

            if (lowLinks[node] == indexes[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);

                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    cycles.Add(component);
                }
            }
        }

        foreach (var node in _edges.Keys.ToList())
        {
            if (!indexes.ContainsKey(node))
            {
                Connect(node);
            }
        }

        return cycles;
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private void Visit(Type type)
    {
        var from = Outermost(type);
        Use(from, type.BaseType);
        foreach (var contract in type.GetInterfaces())
        {
            Use(from, contract);
        }

        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var field in type.GetFields(all))
        {
            Use(from, field.FieldType);
        }

        foreach (var property in type.GetProperties(all))
        {
            Use(from, property.PropertyType);
        }

        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
            {
                Use(from, info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Use(from, parameter.ParameterType);
            }

            VisitBody(from, method);
        }
    }

    private void VisitBody(Type from, MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null)
        {
            return;
        }

        foreach (var local in body.LocalVariables)
        {
            Use(from, local.LocalType);
        }

        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var position = 0; position < il.Length;)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            if (!OpCodesByValue.TryGetValue(value, out var code))
            {
                return;
            }

            var operandSize = OperandSize(code, il, position);
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, position);
                UseMember(from, method.Module, token, typeArguments, methodArguments);
            }

            position += operandSize;
        }
    }

    private static int OperandSize(OpCode code, byte[] il, int position) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };

    private void UseMember(Type from, Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        MemberInfo? member;
        try
        {
            member = module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            return;
        }

        switch (member)
        {
            case Type type:
                Use(from, type);
                break;
            case FieldInfo field:
                Use(from, field.DeclaringType);
                Use(from, field.FieldType);
                break;
            case MethodBase called:
                Use(from, called.DeclaringType);
                if (called.IsGenericMethod)
                {
                    foreach (var argument in called.GetGenericArguments())
                    {
                        Use(from, argument);
                    }
                }

                break;
        }
    }

    private void Use(Type from, Type? used)
    {
        if (used is null)
        {
            return;
        }

        if (used.HasElementType)
        {
            Use(from, used.GetElementType());
            return;
        }

        if (used.IsGenericType && !used.IsGenericTypeDefinition)
        {
            foreach (var argument in used.GetGenericArguments())
            {
                Use(from, argument);
            }

            used = used.GetGenericTypeDefinition();
        }

        if (used.IsGenericParameter || used.Assembly != _assembly)
        {
            return;
        }

        var target = Outermost(used);
        var source = from.Namespace ?? string.Empty;
        var destination = target.Namespace ?? string.Empty;
        if (source == destination || IsCompilerEmitted(target) || IsCompilerEmitted(from))
        {
            return;
        }

        if (!_edges.TryGetValue(source, out var targets))
        {
            _edges[source] = targets = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        targets.TryAdd(destination, $"{from.Name} uses {target.Name}");
    }

    /// <summary>Types the compiler adds at the assembly's root (embedded attributes, private implementation details).</summary>
    private static bool IsCompilerEmitted(Type type) =>
        type.Namespace is null or "Microsoft.CodeAnalysis" or "System.Runtime.CompilerServices" || type.Name.StartsWith('<');
}
