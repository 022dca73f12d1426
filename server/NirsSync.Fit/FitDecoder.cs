namespace NirsSync.Fit;

/// <summary>
/// The message API: decodes a whole FIT input (chained files included) into messages with their
/// fields by number and, where the profile subset knows them, by name. Strict by default; see
/// <see cref="FitDecodeOptions.Lenient"/> for damaged uploads.
/// </summary>
public static class FitDecoder
{
    /// <summary>Decodes <paramref name="bytes"/> without copying them; values refer into the array.</summary>
    public static FitFile Decode(byte[] bytes, FitDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        options ??= FitDecodeOptions.Strict;
        var collector = new MessageCollector(bytes);
        var damage = FitWalker.Walk(bytes, ref collector, options);
        return collector.ToFile(damage);
    }

    /// <summary>Decodes a copy of <paramref name="input"/>.</summary>
    public static FitFile Decode(ReadOnlySpan<byte> input, FitDecodeOptions? options = null) =>
        Decode(input.ToArray(), options);

    /// <summary>Reads <paramref name="stream"/> to its end and decodes it.</summary>
    public static FitFile Decode(Stream stream, FitDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Decode(ReadAll(stream), options);
    }

    /// <summary>Reads <paramref name="stream"/> to its end and decodes it.</summary>
    public static async Task<FitFile> DecodeAsync(Stream stream, FitDecodeOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = stream.CanSeek ? new MemoryStream(checked((int)Math.Max(0, stream.Length - stream.Position))) : new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Decode(buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray(), options);
    }

    internal static byte[] ReadAll(Stream stream)
    {
        if (stream is MemoryStream ms && ms.Position == 0 && ms.TryGetBuffer(out var segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length)
            return segment.Array;
        using var buffer = stream.CanSeek ? new MemoryStream(checked((int)Math.Max(0, stream.Length - stream.Position))) : new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    private struct MessageCollector(byte[] bytes) : IFitVisitor
    {
        private readonly List<FitMessage> _messages = new(Math.Max(16, bytes.Length / 40));
        private readonly List<FitPart> _parts = [];
        private readonly Dictionary<byte, FitDeveloperDataId> _applications = [];
        private readonly Dictionary<int, FitFieldDescription> _descriptions = [];
        private readonly List<FitFieldDescription> _descriptionList = [];

        public readonly void OnDefinition(FitDefinition definition)
        {
        }

        public readonly void OnData(FitDefinition definition, ReadOnlySpan<byte> content, int contentOffset,
            uint timestamp, bool hasTimestamp, bool compressedTimestamp)
        {
            var fieldDefs = definition.FieldArray;
            var profile = FitProfile.Message(definition.GlobalNumber);
            var fields = fieldDefs.Length == 0 ? [] : new FitField[fieldDefs.Length];
            var at = contentOffset;
            for (var i = 0; i < fieldDefs.Length; i++)
            {
                var fd = fieldDefs[i];
                fields[i] = new FitField(fd.Number, new FitValue(bytes, at, fd.Size, fd.BaseType, definition.BigEndian),
                    profile?.Field(fd.Number));
                at += fd.Size;
            }
            var devDefs = definition.DeveloperFieldArray;
            var developerFields = devDefs.Length == 0 ? [] : new FitDeveloperField[devDefs.Length];
            for (var i = 0; i < devDefs.Length; i++)
            {
                var dd = devDefs[i];
                var description = _descriptions.GetValueOrDefault(dd.DeveloperDataIndex << 8 | dd.Number);
                var type = description?.BaseType ?? FitBaseType.Byte;
                developerFields[i] = new FitDeveloperField(dd.DeveloperDataIndex, dd.Number,
                    new FitValue(bytes, at, dd.Size, type, definition.BigEndian), description);
                at += dd.Size;
            }
            var message = new FitMessage(definition, contentOffset - 1, _parts.Count, fields, developerFields,
                hasTimestamp || compressedTimestamp ? timestamp : null, compressedTimestamp);
            _messages.Add(message);
            if (definition.GlobalNumber == FitProfile.FieldDescription) Register(ReadDescription(message));
            else if (definition.GlobalNumber == FitProfile.DeveloperDataId) Register(ReadApplication(message));
        }

        public readonly void OnPart(FitPart part) => _parts.Add(part);

        private readonly void Register(FitFieldDescription? description)
        {
            if (description is null) return;
            description.Application = _applications.GetValueOrDefault(description.DeveloperDataIndex);
            _descriptions[description.DeveloperDataIndex << 8 | description.FieldDefinitionNumber] = description;
            _descriptionList.Add(description);
        }

        private readonly void Register(FitDeveloperDataId? application)
        {
            if (application is null) return;
            _applications[application.DeveloperDataIndex] = application;
        }

        private static FitFieldDescription? ReadDescription(FitMessage m)
        {
            if (m.GetRaw(0) is not { } index || m.GetRaw(1) is not { } number || m.GetRaw(2) is not { } type)
                return null;
            if (!FitBaseTypes.TryNormalize((byte)type, out var baseType)) baseType = FitBaseType.Byte;
            return new FitFieldDescription((byte)index, (byte)number, baseType, m.GetString(3), m.GetString(8),
                m.GetRaw(6) is { } scale ? (byte)scale : null, m.GetRaw(7) is { } offset ? (sbyte)offset : null,
                m.GetRaw(14) is { } nm ? (ushort)nm : null, m.GetRaw(15) is { } nf ? (byte)nf : null,
                m.GetRaw(4) is { } array ? (byte)array : null);
        }

        private static FitDeveloperDataId? ReadApplication(FitMessage m)
        {
            if (m.GetRaw(3) is not { } index) return null;
            return new FitDeveloperDataId((byte)index, Bytes(m, 0), Bytes(m, 1),
                m.GetRaw(2) is { } manufacturer ? (ushort)manufacturer : null,
                m.GetRaw(4) is { } version ? (uint)version : null);
        }

        private static byte[]? Bytes(FitMessage m, byte number) =>
            m.TryGetField(number, out var f) && f.Value.IsValid ? f.Value.Bytes.ToArray() : null;

        public readonly FitFile ToFile(FitDamage? damage) =>
            new(bytes, _messages, _parts, damage, _applications, _descriptionList);
    }
}
