namespace NirsSync.Fit.Tests;

public class Crc16Tests
{
    [Fact]
    public void CheckStringGivesTheCrc16ArcCheckValue() =>
        Assert.Equal(0xBB3D, Crc16.Compute("123456789"u8));

    [Fact]
    public void CrcOverAWholeFileIncludingItsCrcIsZero()
    {
        var bytes = File.ReadAllBytes(Repo.CorpusFile("runalyze/moxy-float.fit"));
        Assert.Equal(0, Crc16.Compute(bytes));
    }

    [Fact]
    public void SlicedAndBytewiseComputationsAgreeOnEveryLength()
    {
        var random = new Random(7);
        var data = new byte[300];
        random.NextBytes(data);
        for (var length = 0; length <= data.Length; length++)
        {
            ushort bitwise = 0;
            foreach (var b in data.AsSpan(0, length))
            {
                bitwise ^= b;
                for (var i = 0; i < 8; i++) bitwise = (bitwise & 1) != 0 ? (ushort)((bitwise >> 1) ^ 0xA001) : (ushort)(bitwise >> 1);
            }
            Assert.True(bitwise == Crc16.Compute(data.AsSpan(0, length)), $"length {length}");
        }
    }

    [Fact]
    public void ComputationContinuesFromAPreviousCrc()
    {
        var data = "123456789"u8;
        Assert.Equal(Crc16.Compute(data), Crc16.Compute(data[4..], Crc16.Compute(data[..4])));
    }
}
