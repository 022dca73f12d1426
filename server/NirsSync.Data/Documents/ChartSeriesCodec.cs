using System.Text.Json;

namespace NirsSync.Data.Documents;

/// <summary>
/// The compact binary form of one chart series (power, SmO2 or tHb of a ride's chart) in a schema-3 ride
/// document, where it is stored as a base64 string. Encoding name: <see cref="Name"/>.
/// </summary>
/// <remarks>
/// <para>Each value <c>v</c> of the series is stored as the integer <c>k = v × 10^digits</c>, where
/// <c>digits</c> is what the downsampler rounds that series to (power 2, SmO2 2, tHb 3; stored in the document
/// beside the series). The stream is one unsigned LEB128 varint per value, in order, and nothing else:</para>
/// <list type="bullet">
/// <item><c>0</c>: null (the bucket had no valid sample).</item>
/// <item><c>zigzag(k − k_prev) + 1</c> otherwise, where <c>k_prev</c> is the <c>k</c> of the previous non-null
/// value (0 before the first) and <c>zigzag(d) = 2d</c> for <c>d ≥ 0</c>, <c>−2d − 1</c> for <c>d &lt; 0</c>.</item>
/// </list>
/// <para>Bounds: <c>|k| ≤ 2^53</c> (every such integer is a double exactly), so a varint never needs more than
/// <see cref="MaxVarintBytes"/> bytes, and a series of n values takes n to 8n bytes.</para>
/// <para>Exactness: a value is read back as <c>k / 10^digits</c> (one IEEE division, which is also how
/// <see cref="Math.Round(double, int, MidpointRounding)"/> forms its result). The encoder stores a value only when
/// that division gives back the very same double, bit for bit; otherwise (NaN, infinities, −0, more digits than
/// <c>digits</c>, <c>|k| &gt; 2^53</c>) <see cref="TryEncode"/> refuses the whole series and the document keeps
/// it as a plain JSON number array instead.</para>
/// </remarks>
public static class ChartSeriesCodec
{
    /// <summary>The value of the chart's <c>encoding</c> key for series in this form.</summary>
    public const string Name = "scaled-delta-zigzag-varint";

    /// <summary>Largest <c>|k|</c> stored: 2^53, below which every integer is exactly a double.</summary>
    public const long MaxScaled = 1L << 53;

    /// <summary>Most decimal digits a series may be scaled by (10^9 is exact as a double, as are its quotients' inputs).</summary>
    public const int MaxDigits = 9;

    /// <summary>Longest varint: zigzag of a delta within ±2^54, plus one, is below 2^56 = 8 × 7 bits.</summary>
    public const int MaxVarintBytes = 8;

    private static readonly double[] Pow10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

    /// <summary>Bytes that always suffice for <paramref name="count"/> values.</summary>
    public static int MaxEncodedLength(int count) => checked(count * MaxVarintBytes);

    /// <summary>
    /// Encodes <paramref name="values"/> scaled by 10^<paramref name="digits"/> into <paramref name="destination"/>
    /// (at least <see cref="MaxEncodedLength"/> bytes). Returns the bytes written, or -1 when a value would not be
    /// read back bit-identical (then nothing of the series may be stored in this form).
    /// </summary>
    public static int TryEncode(ReadOnlySpan<double?> values, int digits, Span<byte> destination)
    {
        if ((uint)digits > MaxDigits) throw new ArgumentOutOfRangeException(nameof(digits), digits, $"digits must be 0 to {MaxDigits}");
        if (destination.Length < MaxEncodedLength(values.Length))
            throw new ArgumentException($"the destination needs {MaxEncodedLength(values.Length)} bytes", nameof(destination));
        var p = Pow10[digits];
        long previous = 0;
        var pos = 0;
        foreach (var value in values)
        {
            if (value is not { } v)
            {
                destination[pos++] = 0;
                continue;
            }
            var scaled = v * p;
            if (!(Math.Abs(scaled) <= MaxScaled)) return -1; // NaN, infinities, too large
            var k = (long)Math.Round(scaled);
            if (BitConverter.DoubleToInt64Bits(k / p) != BitConverter.DoubleToInt64Bits(v)) return -1;
            var delta = k - previous;
            var code = ((ulong)(delta << 1) ^ (ulong)(delta >> 63)) + 1;
            previous = k;
            while (code >= 0x80)
            {
                destination[pos++] = (byte)(code | 0x80);
                code >>= 7;
            }
            destination[pos++] = (byte)code;
        }
        return pos;
    }

    /// <summary>
    /// Decodes a stream of exactly <paramref name="count"/> values scaled by 10^<paramref name="digits"/>. Hostile
    /// input (a stream too short or too long, a varint longer than <see cref="MaxVarintBytes"/>, a value beyond
    /// ±2^53) is a <see cref="JsonException"/> naming <paramref name="series"/>, the value and the byte offset;
    /// nothing larger than <paramref name="count"/> values is allocated, and only once the stream is long enough
    /// to hold them.
    /// </summary>
    public static double?[] Decode(ReadOnlySpan<byte> stream, int digits, int count, string series)
    {
        if ((uint)digits > MaxDigits)
            throw new JsonException($"chart series {series}: digits {digits} is out of range (0 to {MaxDigits})");
        if (count < 0)
            throw new JsonException($"chart series {series}: a count of {count} values is negative");
        if (stream.Length < count)
            throw new JsonException($"chart series {series}: {stream.Length} bytes cannot hold {count} values (each takes at least one byte)");
        var p = Pow10[digits];
        var result = new double?[count];
        long previous = 0;
        var pos = 0;
        for (var i = 0; i < count; i++)
        {
            var start = pos;
            ulong code = 0;
            for (var shift = 0; ; shift += 7)
            {
                if (shift == 7 * MaxVarintBytes)
                    throw new JsonException($"chart series {series}: value {i} at byte {start} is a varint longer than {MaxVarintBytes} bytes");
                if (pos >= stream.Length)
                    throw new JsonException($"chart series {series}: the stream ends inside value {i} (byte {start} of {stream.Length})");
                var b = stream[pos++];
                code |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) break;
            }
            if (code == 0) continue; // null
            var z = code - 1;
            var k = previous + ((long)(z >> 1) ^ -(long)(z & 1)); // |delta| < 2^55, |previous| <= 2^53: no overflow
            if (k is > MaxScaled or < -MaxScaled)
                throw new JsonException($"chart series {series}: value {i} at byte {start} is out of range ({k} is beyond ±2^53)");
            result[i] = k / p;
            previous = k;
        }
        if (pos != stream.Length)
            throw new JsonException($"chart series {series}: {stream.Length - pos} bytes are left after the {count} values (byte {pos})");
        return result;
    }
}
