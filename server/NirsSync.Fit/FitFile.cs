namespace NirsSync.Fit;

/// <summary>The result of decoding with the message API.</summary>
public sealed class FitFile
{
    internal FitFile(byte[] bytes, List<FitMessage> messages, List<FitPart> parts, FitDamage? damage,
        IReadOnlyList<FitDeveloperDataId> applications, IReadOnlyList<FitFieldDescription> descriptions)
    {
        Bytes = bytes;
        Messages = messages;
        Parts = parts;
        Damage = damage;
        DeveloperDataIds = applications;
        FieldDescriptions = descriptions;
    }

    /// <summary>The decoded input. Field values refer into it.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Every data message, in file order.</summary>
    public IReadOnlyList<FitMessage> Messages { get; }

    /// <summary>The chained files, in order.</summary>
    public IReadOnlyList<FitPart> Parts { get; }

    /// <summary>Damage found in lenient mode; null for a sound file.</summary>
    public FitDamage? Damage { get; }

    public IReadOnlyList<FitDeveloperDataId> DeveloperDataIds { get; }

    /// <summary>Every field_description, in file order.</summary>
    public IReadOnlyList<FitFieldDescription> FieldDescriptions { get; }

    /// <summary>The data messages with global number <paramref name="globalNumber"/>.</summary>
    public IEnumerable<FitMessage> MessagesOf(ushort globalNumber) => Messages.Where(m => m.GlobalNumber == globalNumber);
}
