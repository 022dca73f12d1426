namespace NirsSync.Fit;

/// <summary>
/// CRC-16/ARC (reflected polynomial 0xA001, initial value 0), the checksum the FIT protocol uses
/// for the 14-byte header and for the whole file. Garmin describes it with a nibble table; a byte
/// table computes the same function. "123456789" gives 0xBB3D; running it over a file including its
/// trailing little-endian CRC gives 0.
/// </summary>
public static class Crc16
{
    // Slicing-by-8 tables: Tables[k][b] is the CRC contribution of byte b followed by k zero bytes.
    private static readonly ushort[][] Tables = BuildTables();

    private static ushort[][] BuildTables()
    {
        var tables = new ushort[8][];
        for (var k = 0; k < 8; k++) tables[k] = new ushort[256];
        for (var b = 0; b < 256; b++)
        {
            var crc = (ushort)b;
            for (var bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0xA001) : (ushort)(crc >> 1);
            tables[0][b] = crc;
        }
        for (var b = 0; b < 256; b++)
            for (var k = 1; k < 8; k++)
            {
                var prev = tables[k - 1][b];
                tables[k][b] = (ushort)((prev >> 8) ^ tables[0][prev & 0xFF]);
            }
        return tables;
    }

    /// <summary>Computes the CRC of <paramref name="data"/> continuing from <paramref name="crc"/>.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data, ushort crc = 0)
    {
        var t0 = Tables[0]; var t1 = Tables[1]; var t2 = Tables[2]; var t3 = Tables[3];
        var t4 = Tables[4]; var t5 = Tables[5]; var t6 = Tables[6]; var t7 = Tables[7];
        var i = 0;
        uint c = crc;
        for (; i + 8 <= data.Length; i += 8)
        {
            c = (uint)(t7[(data[i] ^ c) & 0xFF] ^ t6[data[i + 1] ^ (c >> 8)]
                ^ t5[data[i + 2]] ^ t4[data[i + 3]] ^ t3[data[i + 4]]
                ^ t2[data[i + 5]] ^ t1[data[i + 6]] ^ t0[data[i + 7]]);
        }
        for (; i < data.Length; i++)
            c = (c >> 8) ^ t0[(c ^ data[i]) & 0xFF];
        return (ushort)c;
    }
}
