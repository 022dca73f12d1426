using System.Buffers.Binary;

namespace NirsSync.Fit;

/// <summary>Receives the walker's events. Implemented by structs so that calls are devirtualised.</summary>
internal interface IFitVisitor
{
    void OnDefinition(FitDefinition definition);

    /// <summary>A data message. <paramref name="content"/> is the message without its record header.</summary>
    void OnData(FitDefinition definition, ReadOnlySpan<byte> content, int contentOffset, uint timestamp,
        bool hasTimestamp, bool compressedTimestamp);

    void OnPart(FitPart part);
}

/// <summary>
/// Walks FIT records (FIT protocol, "Record Format"): file headers, definition and data messages,
/// compressed-timestamp headers, CRCs and chained files. It owns framing only; what a message means
/// is the visitor's concern. Every read is bounds-checked against the input, so damage surfaces as a
/// <see cref="FitFormatException"/> with its byte offset and never as another exception.
/// </summary>
internal static class FitWalker
{
    public static FitDamage? Walk<TVisitor>(ReadOnlySpan<byte> input, ref TVisitor visitor, FitDecodeOptions options)
        where TVisitor : struct, IFitVisitor
    {
        var state = new WalkState();
        try
        {
            WalkAll(input, ref visitor, options, ref state);
            return null;
        }
        catch (FitFormatException e) when (options.IsLenient && e.Kind != FitErrorKind.LimitExceeded)
        {
            if (state.PartOpen)
                visitor.OnPart(new FitPart(state.PartOffset, state.Header, e.Offset, null, null,
                    state.Messages, state.Definitions));
            return FitDamage.From(e);
        }
    }

    private struct WalkState
    {
        public bool PartOpen;
        public int PartOffset;
        public FitHeader Header;
        public int Messages;
        public int Definitions;
        /// <summary>Data messages of every part so far (<see cref="FitDecodeOptions.MaxMessages"/>).</summary>
        public int TotalMessages;
        /// <summary>Distinct definition layouts of every part so far (<see cref="FitDecodeOptions.MaxDefinitions"/>).</summary>
        public int Layouts;
    }

    private static void WalkAll<TVisitor>(ReadOnlySpan<byte> input, ref TVisitor visitor, FitDecodeOptions options,
        ref WalkState state) where TVisitor : struct, IFitVisitor
    {
        if (input.Length == 0)
            throw new FitFormatException(FitErrorKind.UnexpectedEnd, 0, "empty input");
        var definitions = new FitDefinition?[16];
        var seen = new Dictionary<int, FitDefinition>();
        var pos = 0;
        var partIndex = 0;
        while (pos < input.Length)
        {
            if (partIndex > 0 && !FitHeader.LooksLikeFit(input[pos..]))
            {
                // A chained file must start with a header; anything else after a finished file is damage.
                if (input.Length - pos >= 12 && input[pos] is 12 or 14)
                    FitHeader.Parse(input, pos); // throws with the precise reason (for example ".GIT")
                throw new FitFormatException(FitErrorKind.TrailingGarbage, pos,
                    $"{input.Length - pos} bytes after the end of file {partIndex} are not a FIT header");
            }
            var header = FitHeader.Parse(input, pos);
            state = new WalkState
            {
                PartOpen = true, PartOffset = pos, Header = header, TotalMessages = state.TotalMessages, Layouts = state.Layouts,
            };
            Array.Clear(definitions);
            pos = WalkPart(input, pos, header, definitions, seen, ref visitor, options, ref state);
            state.PartOpen = false;
            partIndex++;
        }
    }

    private static int WalkPart<TVisitor>(ReadOnlySpan<byte> input, int partStart, FitHeader header,
        FitDefinition?[] definitions, Dictionary<int, FitDefinition> seen, ref TVisitor visitor, FitDecodeOptions options,
        ref WalkState state)
        where TVisitor : struct, IFitVisitor
    {
        var p = partStart + header.HeaderSize;
        var unknownSize = header.DataSize == 0;
        int dataEnd;
        if (unknownSize)
        {
            dataEnd = input.Length;
        }
        else
        {
            var declaredEnd = (long)p + header.DataSize;
            if (declaredEnd + 2 > input.Length)
            {
                if (!options.IsLenient)
                    throw new FitFormatException(FitErrorKind.UnexpectedEnd, input.Length,
                        $"header at byte {partStart} declares {header.DataSize} data bytes and a CRC, " +
                        $"but the input ends after {input.Length - p} bytes of data");
                dataEnd = input.Length; // read what is there; the end is reported below
            }
            else
            {
                dataEnd = (int)declaredEnd;
            }
        }

        uint lastTimestamp = 0;
        ushort? storedCrc = null;
        ReadOnlySpan<byte> content;
        while (p < dataEnd)
        {
            if (unknownSize && dataEnd - p == 2 && options.ValidateCrc
                && Crc16.Compute(input[partStart..p]) == BinaryPrimitives.ReadUInt16LittleEndian(input[p..]))
            {
                storedCrc = BinaryPrimitives.ReadUInt16LittleEndian(input[p..]);
                dataEnd = p;
                break;
            }
            var recordHeader = input[p];
            if ((recordHeader & 0x80) != 0)
            {
                // Compressed timestamp header: bits 5-6 local type 0-3, bits 0-4 time offset.
                var local = (recordHeader >> 5) & 0x03;
                var definition = definitions[local]
                    ?? throw new FitFormatException(FitErrorKind.UndefinedLocalType, p,
                        $"compressed-timestamp message uses local type {local}, which has no definition");
                content = Content(input, p, dataEnd, definition);
                var offset = (uint)(recordHeader & 0x1F);
                lastTimestamp += (offset - (lastTimestamp & 0x1F)) & 0x1F;
                state.Messages++;
                if (++state.TotalMessages > options.MaxMessages) TooManyMessages(options, p);
                visitor.OnData(definition, content, p + 1, lastTimestamp, true, true);
                p += 1 + definition.DataSize;
            }
            else if ((recordHeader & 0x40) != 0)
            {
                var definition = ReadDefinition(input, p, dataEnd, recordHeader, definitions, seen, options, ref state, out var length);
                state.Definitions++;
                visitor.OnDefinition(definition);
                p += length;
            }
            else
            {
                var local = recordHeader & 0x0F;
                var definition = definitions[local]
                    ?? throw new FitFormatException(FitErrorKind.UndefinedLocalType, p,
                        $"data message uses local type {local}, which has no definition");
                content = Content(input, p, dataEnd, definition);
                var hasTimestamp = false;
                if (definition.TimestampOffset >= 0)
                {
                    var ts = content.Slice(definition.TimestampOffset, 4);
                    var value = definition.BigEndian
                        ? BinaryPrimitives.ReadUInt32BigEndian(ts)
                        : BinaryPrimitives.ReadUInt32LittleEndian(ts);
                    if (value != 0xFFFF_FFFF)
                    {
                        lastTimestamp = value;
                        hasTimestamp = true;
                    }
                }
                state.Messages++;
                if (++state.TotalMessages > options.MaxMessages) TooManyMessages(options, p);
                visitor.OnData(definition, content, p + 1, lastTimestamp, hasTimestamp, false);
                p += 1 + definition.DataSize;
            }
        }

        if (!unknownSize && dataEnd + 2 > input.Length)
            throw new FitFormatException(FitErrorKind.UnexpectedEnd, input.Length,
                $"header at byte {partStart} declares {header.DataSize} data bytes, " +
                $"but the input ends after {input.Length - partStart - header.HeaderSize} bytes of data");

        ushort? computed = null;
        if (!unknownSize)
        {
            storedCrc = BinaryPrimitives.ReadUInt16LittleEndian(input[dataEnd..]);
            if (options.ValidateCrc)
            {
                computed = Crc16.Compute(input[partStart..dataEnd]);
                if (computed != storedCrc)
                {
                    visitor.OnPart(new FitPart(partStart, header, dataEnd, storedCrc, computed,
                        state.Messages, state.Definitions));
                    state.PartOpen = false;
                    throw new FitFormatException(FitErrorKind.FileCrcMismatch, dataEnd,
                        $"file CRC 0x{storedCrc:X4}, computed 0x{computed:X4} over bytes {partStart}-{dataEnd - 1}");
                }
            }
        }
        else if (storedCrc is not null)
        {
            computed = storedCrc;
        }

        visitor.OnPart(new FitPart(partStart, header, dataEnd, storedCrc, computed, state.Messages, state.Definitions));
        return unknownSize ? (storedCrc is null ? dataEnd : dataEnd + 2) : dataEnd + 2;
    }

    private static void TooManyMessages(FitDecodeOptions options, int p) =>
        throw new FitFormatException(nameof(FitDecodeOptions.MaxMessages), options.MaxMessages, p, "data messages");

    private static ReadOnlySpan<byte> Content(ReadOnlySpan<byte> input, int p, int dataEnd, FitDefinition definition)
    {
        if (p + 1 + definition.DataSize > dataEnd)
            throw new FitFormatException(FitErrorKind.UnexpectedEnd, p,
                $"data message of global type {definition.GlobalNumber} needs {definition.DataSize + 1} bytes, " +
                $"{dataEnd - p} left");
        return input.Slice(p + 1, definition.DataSize);
    }

    private static FitDefinition ReadDefinition(ReadOnlySpan<byte> input, int p, int dataEnd, byte recordHeader,
        FitDefinition?[] definitions, Dictionary<int, FitDefinition> seen, FitDecodeOptions options, ref WalkState state,
        out int length)
    {
        var local = recordHeader & 0x0F;
        var hasDeveloperData = (recordHeader & 0x20) != 0;
        if (p + 6 > dataEnd)
            throw new FitFormatException(FitErrorKind.UnexpectedEnd, p, "definition message header cut short");
        var architecture = input[p + 2];
        if (architecture > 1)
            throw new FitFormatException(FitErrorKind.BadDefinition, p + 2, $"architecture {architecture}, expected 0 or 1");
        var bigEndian = architecture == 1;
        var global = bigEndian
            ? BinaryPrimitives.ReadUInt16BigEndian(input[(p + 3)..])
            : BinaryPrimitives.ReadUInt16LittleEndian(input[(p + 3)..]);
        var fieldCount = input[p + 5];
        length = 6 + 3 * fieldCount;
        if (p + length > dataEnd)
            throw new FitFormatException(FitErrorKind.UnexpectedEnd, p,
                $"definition of global type {global} with {fieldCount} fields is cut short");
        var developerCount = 0;
        if (hasDeveloperData)
        {
            if (p + length + 1 > dataEnd)
                throw new FitFormatException(FitErrorKind.UnexpectedEnd, p, "definition's developer field count is cut short");
            developerCount = input[p + length];
            length += 1 + 3 * developerCount;
            if (p + length > dataEnd)
                throw new FitFormatException(FitErrorKind.UnexpectedEnd, p,
                    $"definition of global type {global} with {developerCount} developer fields is cut short");
        }

        // Devices often repeat definitions, some alternating layouts on one local type; reuse the
        // object of a layout seen before so that memory (and the columnar reader's compiled plans)
        // stays proportional to distinct layouts, not to definition messages.
        var previous = definitions[local];
        if (previous is not null && previous.Offset + length <= input.Length && SameLayout(input, p, (int)previous.Offset, length))
            return previous;
        var hash = new HashCode();
        hash.AddBytes(input.Slice(p, length));
        var key = hash.ToHashCode();
        if (seen.TryGetValue(key, out var known) && known.Offset + length <= input.Length
            && SameLayout(input, p, (int)known.Offset, length))
        {
            definitions[local] = known;
            return known;
        }

        if (++state.Layouts > options.MaxDefinitions)
            throw new FitFormatException(nameof(FitDecodeOptions.MaxDefinitions), options.MaxDefinitions, p, "distinct definition layouts");
        var fields = fieldCount == 0 ? [] : new FitFieldDefinition[fieldCount];
        for (var i = 0; i < fieldCount; i++)
        {
            var q = p + 6 + 3 * i;
            var rawType = input[q + 2];
            if (!FitBaseTypes.TryNormalize(rawType, out var type))
                throw new FitFormatException(FitErrorKind.BadDefinition, q + 2,
                    $"field {input[q]} of global type {global} has unknown base type 0x{rawType:X2}");
            fields[i] = new FitFieldDefinition(input[q], input[q + 1], type, rawType);
        }
        var developerFields = developerCount == 0 ? [] : new FitDeveloperFieldDefinition[developerCount];
        for (var i = 0; i < developerCount; i++)
        {
            var q = p + 6 + 3 * fieldCount + 1 + 3 * i;
            developerFields[i] = new FitDeveloperFieldDefinition(input[q], input[q + 1], input[q + 2]);
        }
        var definition = new FitDefinition((byte)local, bigEndian, global, fields, developerFields, p);
        definitions[local] = definition;
        seen[key] = definition;
        return definition;
    }

    // Same record header (developer flag and local type) and the same bytes after it.
    private static bool SameLayout(ReadOnlySpan<byte> input, int p, int previous, int length) =>
        input.Slice(previous, length).SequenceEqual(input.Slice(p, length));
}
