using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace ChorusFunctions.Tests.Architecture;

/// <summary>One reference from a type to another, both named by their outermost declaring type.</summary>
public sealed record TypeEdge(Type From, Type To)
{
    public override string ToString() => $"{From.FullName} → {To.FullName}";
}

/// <summary>
/// Every type a compiled type refers to: its signatures (base type, interfaces, fields, properties, events, methods,
/// attributes) and the tokens in its method bodies, so a reference written with <c>var</c>, a fully qualified name or
/// inside a lambda counts the same as one in a <c>using</c>.
/// </summary>
public static class DependencyScanner
{
    const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    static readonly OpCode[] OneByte = new OpCode[0x100];
    static readonly OpCode[] TwoByte = new OpCode[0x100];

    static DependencyScanner()
    {
        foreach (FieldInfo field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            ushort value = unchecked((ushort)code.Value);
            if (code.Size == 1)
            {
                OneByte[value] = code;
            }
            else
            {
                TwoByte[value & 0xFF] = code;
            }
        }
    }

    /// <summary>A compiler-generated nested type (lambda closure, state machine) belongs to the type it was written in.</summary>
    public static Type Owner(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    /// <summary>The edges from every type of <paramref name="assembly"/> to other types of the same assembly.</summary>
    public static IReadOnlyList<TypeEdge> Edges(Assembly assembly) => Edges(assembly.GetTypes());

    /// <summary>The edges from <paramref name="types"/> to other types of their own assembly.</summary>
    public static IReadOnlyList<TypeEdge> Edges(IEnumerable<Type> types) =>
        types
            .SelectMany(type => References(type).Select(to => new TypeEdge(Owner(type), Owner(to))))
            .Where(edge => edge.To.Assembly == edge.From.Assembly && edge.From != edge.To)
            .Distinct()
            .ToList();

    /// <summary>The types <paramref name="type"/> itself refers to (not its nested types, which are scanned on their own).</summary>
    public static IReadOnlySet<Type> References(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t) => AddType(t, found);

        Add(type.BaseType);
        foreach (Type i in type.GetInterfaces())
        {
            Add(i);
        }

        AddAttributes(type.CustomAttributes, found);
        foreach (FieldInfo field in type.GetFields(All))
        {
            Add(field.FieldType);
            AddAttributes(field.CustomAttributes, found);
        }

        foreach (PropertyInfo property in type.GetProperties(All))
        {
            Add(property.PropertyType);
            AddAttributes(property.CustomAttributes, found);
        }

        foreach (EventInfo e in type.GetEvents(All))
        {
            Add(e.EventHandlerType);
        }

        foreach (MethodBase method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            AddSignature(method, found);
            AddAttributes(method.CustomAttributes, found);
            foreach (ParameterInfo parameter in method.GetParameters())
            {
                AddAttributes(parameter.CustomAttributes, found);
            }

            AddBody(type, method, found);
        }

        return found;
    }

    static void AddBody(Type type, MethodBase method, HashSet<Type> found)
    {
        MethodBody? body = method.GetMethodBody();
        if (body is null)
        {
            return;
        }

        foreach (LocalVariableInfo local in body.LocalVariables)
        {
            AddType(local.LocalType, found);
        }

        foreach (ExceptionHandlingClause clause in body.ExceptionHandlingClauses)
        {
            if (clause.Flags == ExceptionHandlingClauseOptions.Clause)
            {
                AddType(clause.CatchType, found);
            }
        }

        Type[]? typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (int token in Tokens(body.GetILAsByteArray() ?? []))
        {
            switch (method.Module.ResolveMember(token, typeArguments, methodArguments))
            {
                case Type t:
                    AddType(t, found);
                    break;
                case MethodBase m:
                    AddType(m.DeclaringType, found);
                    AddSignature(m, found);
                    break;
                case FieldInfo f:
                    AddType(f.DeclaringType, found);
                    AddType(f.FieldType, found);
                    break;
                case { } member:
                    AddType(member.DeclaringType, found);
                    break;
            }
        }
    }

    /// <summary>The metadata tokens (types, methods, fields) in a method body's IL.</summary>
    public static IEnumerable<int> Tokens(byte[] il)
    {
        int at = 0;
        while (at < il.Length)
        {
            OpCode code = il[at] == 0xFE ? TwoByte[il[++at]] : OneByte[il[at]];
            at++;
            switch (code.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    yield return BitConverter.ToInt32(il, at);
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString or OperandType.ShortInlineR:
                    at += 4;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineNone:
                    break;
                default:
                    throw new InvalidOperationException($"Unknown operand type {code.OperandType} of {code.Name}.");
            }
        }
    }

    static void AddSignature(MethodBase method, HashSet<Type> found)
    {
        if (method is MethodInfo info)
        {
            AddType(info.ReturnType, found);
        }

        if (method.IsGenericMethod)
        {
            foreach (Type argument in method.GetGenericArguments())
            {
                AddType(argument, found);
            }
        }

        foreach (ParameterInfo parameter in method.GetParameters())
        {
            AddType(parameter.ParameterType, found);
        }
    }

    static void AddAttributes(IEnumerable<CustomAttributeData> attributes, HashSet<Type> found)
    {
        foreach (CustomAttributeData attribute in attributes)
        {
            // Compiler bookkeeping (nullable context, state machine links) says nothing about a design dependency.
            if (attribute.AttributeType.Namespace == typeof(CompilerGeneratedAttribute).Namespace)
            {
                continue;
            }

            AddType(attribute.AttributeType, found);
            foreach (CustomAttributeTypedArgument argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(a => a.TypedValue)))
            {
                AddType(argument.Value as Type, found);
            }
        }
    }

    static void AddType(Type? type, HashSet<Type> found)
    {
        if (type is null || type.IsGenericParameter)
        {
            return;
        }

        if (type.HasElementType)
        {
            AddType(type.GetElementType(), found);
            return;
        }

        if (type.IsConstructedGenericType)
        {
            AddType(type.GetGenericTypeDefinition(), found);
            foreach (Type argument in type.GetGenericArguments())
            {
                AddType(argument, found);
            }

            return;
        }

        found.Add(type);
    }
}
