namespace NirsSync.Fit.Tests;

/// <summary>
/// Mutation fuzzer over real FIT files: bit flips, truncation, splices of two files, random
/// definition messages, random size and count bytes, and random header data sizes. Deterministic
/// for a seed, so a failing case can be replayed from its number.
/// </summary>
public sealed class Fuzzer(IReadOnlyList<byte[]> seeds, int seed)
{
    private readonly Random _random = new(seed);

    public (string Mutation, byte[] Input) Next()
    {
        var source = seeds[_random.Next(seeds.Count)];
        switch (_random.Next(6))
        {
            case 0:
            {
                var bytes = (byte[])source.Clone();
                var flips = 1 + _random.Next(16);
                for (var i = 0; i < flips; i++) bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
                return ($"{flips} bit flips", bytes);
            }
            case 1:
            {
                var length = _random.Next(source.Length);
                return ($"truncated to {length}", source.AsSpan(0, length).ToArray());
            }
            case 2:
            {
                var other = seeds[_random.Next(seeds.Count)];
                var cut = _random.Next(source.Length);
                var from = _random.Next(other.Length);
                return ($"splice at {cut} from {from}", [.. source.AsSpan(0, cut), .. other.AsSpan(from)]);
            }
            case 3:
            {
                var at = 12 + _random.Next(Math.Max(1, source.Length - 14));
                var fields = _random.Next(256);
                var definition = new byte[6 + 3 * fields];
                definition[0] = (byte)(0x40 | (_random.Next(2) == 0 ? 0x20 : 0) | _random.Next(16));
                definition[2] = (byte)_random.Next(3);
                definition[3] = (byte)_random.Next(256);
                definition[4] = (byte)_random.Next(2);
                definition[5] = (byte)fields;
                for (var i = 6; i < definition.Length; i++) definition[i] = (byte)_random.Next(256);
                return ($"random definition of {fields} fields at {at}",
                    [.. source.AsSpan(0, Math.Min(at, source.Length)), .. definition, .. source.AsSpan(Math.Min(at, source.Length))]);
            }
            case 4:
            {
                var bytes = (byte[])source.Clone();
                var changes = 1 + _random.Next(8);
                byte[] interesting = [0, 1, 2, 3, 4, 8, 0x3F, 0x40, 0x60, 0x7F, 0x80, 0xE0, 0xFE, 0xFF];
                for (var i = 0; i < changes; i++)
                    bytes[_random.Next(bytes.Length)] = interesting[_random.Next(interesting.Length)];
                return ($"{changes} size/count bytes", bytes);
            }
            default:
            {
                var bytes = (byte[])source.Clone();
                var size = (uint)_random.Next() * (uint)(_random.Next(2) == 0 ? 1 : 0) + (uint)_random.Next(bytes.Length * 2);
                if (bytes.Length >= 8) BitConverter.TryWriteBytes(bytes.AsSpan(4, 4), size);
                return ($"header data size {size}", bytes);
            }
        }
    }
}
