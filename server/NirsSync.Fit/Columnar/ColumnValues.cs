using System.Runtime.CompilerServices;

namespace NirsSync.Fit;

/// <summary>
/// The values of one record column while decoding, sized to the rows that carry a value: rows are
/// written in increasing order; a column starts sparse (row and value pairs, 8 bytes a value) and turns
/// dense (4 bytes a row from its first value on) once at least half the rows it spans have a value, and
/// back to sparse if a long gap would leave fewer than a quarter. So a column costs at most about
/// 16 bytes per value it holds, whatever the file's row count: a developer field written by two records
/// of a million costs two pairs, not a million floats.
/// </summary>
internal sealed class ColumnValues(RowCapacity rows)
{
    private const int MinDenseValues = 16;
    private int _count;
    private int _first = -1;
    private int _last = -1;
    // Dense: _dense[i] holds row _first + i, NaN where none. Sparse: _rows/_sparse[0.._count).
    private float[]? _dense;
    private int[]? _rows;
    private float[]? _sparse;

    /// <summary>Rows that have a value (a NaN the file wrote counts as none).</summary>
    public int Count
    {
        get
        {
            if (_dense is not null) Recount();
            return _count;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(int row, float value)
    {
        // The hot path stores and nothing else: count and last row of a dense column are recounted when needed.
        var dense = _dense;
        if (dense is not null)
        {
            var i = row - _first;
            if ((uint)i < (uint)dense.Length)
            {
                dense[i] = value;
                return;
            }
        }
        SetSlow(row, value);
    }

    /// <summary>Count and last row of a dense column, from its values (amortised: it runs when the column grows).</summary>
    private void Recount()
    {
        var dense = _dense!;
        var last = dense.Length - 1;
        while (last >= 0 && float.IsNaN(dense[last])) last--;
        _last = last < 0 ? _first - 1 : _first + last;
        var count = 0;
        foreach (var v in dense.AsSpan(0, last + 1)) if (!float.IsNaN(v)) count++;
        _count = count;
    }

    private void SetSlow(int row, float value)
    {
        if (_first < 0) _first = row;
        if (_dense is not null)
        {
            Recount();
            var span = (long)row - _first + 1;
            if ((_count + 1L) * 4 < span)
            {
                ToSparse();
                Append(row, value);
                return;
            }
            var old = _dense.Length;
            var capacity = Capacity(row, (int)Math.Max(span, Math.Min(old + (long)old / 2, int.MaxValue)));
            Array.Resize(ref _dense, capacity);
            _dense.AsSpan(old).Fill(float.NaN);
            _dense[row - _first] = value;
            _count++;
            _last = row;
            return;
        }
        if (row == _last)
        {
            _sparse![_count - 1] = value;
            return;
        }
        Append(row, value);
        if (_count >= MinDenseValues && (long)row - _first + 1 <= 2L * _count) ToDense();
    }

    private void Append(int row, float value)
    {
        if (_rows is null || _count == _rows.Length)
        {
            var capacity = _rows is null ? 4 : _rows.Length + _rows.Length / 2 + 1;
            Array.Resize(ref _rows, capacity);
            Array.Resize(ref _sparse, capacity);
        }
        _rows[_count] = row;
        _sparse![_count] = value;
        _count++;
        _last = row;
    }

    /// <summary>
    /// A column with a value on at least half of all rows so far is sized at once to the rows the reader expects
    /// (extrapolated from the bytes its rows took so far); any other grows geometrically from its own span.
    /// </summary>
    private int Capacity(int row, int growth)
    {
        var expected = rows.Expected - _first;
        return 2L * _count >= row + 1L && expected > growth ? expected : growth;
    }

    private void ToDense()
    {
        var span = _last - _first + 1;
        var dense = new float[Capacity(_last, span + span / 4)];
        dense.AsSpan().Fill(float.NaN);
        for (var i = 0; i < _count; i++) dense[_rows![i] - _first] = _sparse![i];
        _dense = dense;
        _rows = null;
        _sparse = null;
    }

    private void ToSparse()
    {
        var dense = _dense!;
        var n = _count;
        var span = _last - _first + 1;
        _rows = new int[n + n / 2 + 1];
        _sparse = new float[_rows.Length];
        _count = 0;
        for (var i = 0; i < span; i++)
            if (!float.IsNaN(dense[i]))
            {
                _rows[_count] = _first + i;
                _sparse[_count++] = dense[i];
            }
        _dense = null;
    }

    /// <summary>
    /// The values as one array of at least <paramref name="rows"/> rows, NaN where none: the dense buffer
    /// itself when it already starts at row 0 and is long enough, a new array otherwise.
    /// </summary>
    public float[] Dense(int rows)
    {
        if (_dense is not null && _first == 0 && _dense.Length >= rows) return _dense;
        var result = new float[rows];
        result.AsSpan().Fill(float.NaN);
        if (_dense is not null)
            _dense.AsSpan(0, Math.Min(_dense.Length, rows - _first)).CopyTo(result.AsSpan(_first));
        else
            for (var i = 0; i < _count; i++) result[_rows![i]] = _sparse![i];
        return result;
    }
}

/// <summary>The record rows the columnar reader expects in all (a capacity hint shared by its columns).</summary>
internal sealed class RowCapacity
{
    public int Expected;
}
