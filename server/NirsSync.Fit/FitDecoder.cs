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
        var collector = new MessageCollector(bytes, options.MaxDeveloperFields);
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
        using var buffer = BufferFor(stream);
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Decode(Contents(buffer), options);
    }

    internal static byte[] ReadAll(Stream stream)
    {
        if (stream is MemoryStream ms && ms.Position == 0 && ms.TryGetBuffer(out var segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length)
            return segment.Array;
        using var buffer = BufferFor(stream);
        stream.CopyTo(buffer);
        return Contents(buffer);
    }

    // Sized to the rest of a seekable stream, so the copy needs no regrowth and its buffer is the result.
    private static MemoryStream BufferFor(Stream stream) =>
        stream.CanSeek ? new MemoryStream(checked((int)Math.Max(0, stream.Length - stream.Position))) : new MemoryStream();

    private static byte[] Contents(MemoryStream buffer) =>
        buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();

    private readonly struct MessageCollector(byte[] bytes, int maxDeveloperFields) : IFitVisitor
    {
        private readonly List<FitMessage> _messages = new(Math.Clamp(bytes.Length / 40, 16, 1 << 16));
        private readonly List<FitPart> _parts = [];
        private readonly DeveloperRegistry _registry = new(maxDeveloperFields);

        public void OnDefinition(FitDefinition definition)
        {
        }

        public void OnData(FitDefinition definition, ReadOnlySpan<byte> content, int contentOffset,
            uint timestamp, bool hasTimestamp, bool compressedTimestamp) =>
            _messages.Add(_registry.Build(definition, bytes, contentOffset, contentOffset - 1, _parts.Count,
                timestamp, hasTimestamp, compressedTimestamp));

        public void OnPart(FitPart part) => _parts.Add(part);

        public FitFile ToFile(FitDamage? damage) =>
            new(bytes, _messages, _parts, damage, _registry.Applications, _registry.Descriptions);
    }
}
