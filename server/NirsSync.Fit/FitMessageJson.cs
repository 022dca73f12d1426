using System.Text.Json;

namespace NirsSync.Fit;

/// <summary>
/// Writes a data message as the JSON object of <c>nirssync fit dump</c>:
/// <c>{"mesg":N,"name":"record","fields":{"253":...},"dev":{"0:1":...}}</c>. Values are raw (before
/// scale and offset); invalid values are left out; a compressed-timestamp message carries its
/// reconstructed timestamp as field "253"; a field number repeated in one definition keeps its first value; a
/// field the profile defines as one value but stored with room for several is written as its first element.
/// </summary>
public static class FitMessageJson
{
    public static void Write(Utf8JsonWriter writer, FitMessage message)
    {
        writer.WriteStartObject();
        writer.WriteNumber("mesg", message.GlobalNumber);
        if (message.Name is { } name) writer.WriteString("name", name);
        writer.WriteStartObject("fields");
        Span<bool> seen = stackalloc bool[256];
        foreach (var field in message.Fields)
        {
            if (seen[field.Number] || !field.Value.IsValid) continue;
            if (field.Value.Count > 1 && field.Value.BaseType != FitBaseType.String
                && FitProfile.IsScalar(message.GlobalNumber, field.Number) == true)
            {
                // A scalar field stored with extra bytes is its first element, as in Garmin's SDK (an invalid
                // first element leaves the field out, whatever follows).
                if (field.Value.ElementOrNull(0) is not { } first) continue;
                seen[field.Number] = true;
                writer.WritePropertyName(Number(field.Number));
                WriteScalar(writer, first);
                continue;
            }
            seen[field.Number] = true;
            writer.WritePropertyName(Number(field.Number));
            WriteValue(writer, field.Value);
        }
        if (message.IsCompressedTimestamp && !seen[253] && message.Timestamp is { } t)
            writer.WriteNumber("253", t);
        writer.WriteEndObject();
        writer.WriteStartObject("dev");
        foreach (var field in message.DeveloperFields)
        {
            if (!field.Value.IsValid) continue;
            writer.WritePropertyName(field.Key);
            WriteValue(writer, field.Value, allStrings: true);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static readonly string[] Numbers = Enumerable.Range(0, 256)
        .Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static string Number(byte n) => Numbers[n];

    public static void WriteValue(Utf8JsonWriter writer, FitValue value, bool allStrings = false)
    {
        switch (value.ToObject(allStrings))
        {
            case string[] strings:
                writer.WriteStartArray();
                foreach (var s in strings) writer.WriteStringValue(s);
                writer.WriteEndArray();
                break;
            case object?[] array:
                writer.WriteStartArray();
                foreach (var e in array) WriteScalar(writer, e);
                writer.WriteEndArray();
                break;
            case var scalar:
                WriteScalar(writer, scalar);
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case long l: writer.WriteNumberValue(l); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case float f when float.IsFinite(f): writer.WriteNumberValue(f); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case float or double: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }

    /// <summary>The message as one line of JSON.</summary>
    public static string ToJson(FitMessage message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, message);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
