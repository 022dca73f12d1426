namespace NirsSync.Fit;

/// <summary>
/// The developer_data_id (207) and field_description (206) messages seen so far, keyed on
/// (developer_data_index, field_definition_number): what a developer field of a later data message means.
/// </summary>
internal sealed class DeveloperRegistry(int maxDescriptions = int.MaxValue)
{
    private readonly Dictionary<byte, FitDeveloperDataId> _applications = [];
    private int _descriptionMessages;
    private readonly Dictionary<int, FitFieldDescription> _descriptions = [];

    public List<FitFieldDescription> Descriptions { get; } = [];
    public IReadOnlyList<FitDeveloperDataId> Applications => _applications.Values.ToList();

    public FitFieldDescription? Find(byte developerDataIndex, byte number) =>
        _descriptions.GetValueOrDefault(developerDataIndex << 8 | number);

    /// <summary>Registers <paramref name="message"/> when it is a 206 or 207 message.</summary>
    public void Observe(FitMessage message)
    {
        if (message.GlobalNumber == FitProfile.FieldDescription && ++_descriptionMessages > maxDescriptions)
            throw new FitFormatException(nameof(FitDecodeOptions.MaxDeveloperFields), maxDescriptions, message.Offset,
                "developer field descriptions (field_description messages)");
        if (message.GlobalNumber == FitProfile.FieldDescription && ReadDescription(message) is { } d)
        {
            d.Application = _applications.GetValueOrDefault(d.DeveloperDataIndex);
            _descriptions[d.DeveloperDataIndex << 8 | d.FieldDefinitionNumber] = d;
            Descriptions.Add(d);
        }
        else if (message.GlobalNumber == FitProfile.DeveloperDataId && ReadApplication(message) is { } a)
        {
            _applications[a.DeveloperDataIndex] = a;
        }
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

    /// <summary>Builds the message object for a data message whose content starts at <paramref name="at"/>.</summary>
    public FitMessage Build(FitDefinition definition, byte[] buffer, int at, long fileOffset, int part,
        uint timestamp, bool hasTimestamp, bool compressedTimestamp, bool observe = true)
    {
        // Zero-size fields hold no data and are not materialised: memory stays proportional to the
        // bytes of the input, whatever a (hostile) definition declares.
        var fieldDefs = definition.FieldArray;
        var profiles = definition.FieldProfiles;
        var fields = definition.NonEmptyFieldCount == 0 ? [] : new FitField[definition.NonEmptyFieldCount];
        var n = 0;
        foreach (var fd in fieldDefs)
        {
            if (fd.Size == 0) continue;
            fields[n] = new FitField(fd.Number, new FitValue(buffer, at, fd.Size, fd.BaseType, definition.BigEndian),
                profiles[n]);
            n++;
            at += fd.Size;
        }
        var devDefs = definition.DeveloperFieldArray;
        var developerFields = definition.NonEmptyDeveloperFieldCount == 0 ? [] : new FitDeveloperField[definition.NonEmptyDeveloperFieldCount];
        n = 0;
        foreach (var dd in devDefs)
        {
            if (dd.Size == 0) continue;
            var description = Find(dd.DeveloperDataIndex, dd.Number);
            developerFields[n++] = new FitDeveloperField(dd.DeveloperDataIndex, dd.Number,
                new FitValue(buffer, at, dd.Size, description?.BaseType ?? FitBaseType.Byte, definition.BigEndian),
                description);
            at += dd.Size;
        }
        var message = new FitMessage(definition, fileOffset, part, fields, developerFields,
            hasTimestamp || compressedTimestamp ? timestamp : null, compressedTimestamp);
        if (observe) Observe(message);
        return message;
    }
}
