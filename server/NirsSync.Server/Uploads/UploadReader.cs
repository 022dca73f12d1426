using System.Buffers;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace NirsSync.Server.Uploads;

/// <summary>What the request carried: the file's bytes, or why they could not be read.</summary>
internal sealed record UploadBody(byte[]? Bytes, string? FileName, int ErrorStatus = 0, string? Error = null);

/// <summary>Reads an upload from a raw body or the first file part of a multipart form, within the size limit.</summary>
internal static class UploadReader
{
    public static async Task<UploadBody> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadBodyAsync(request, limit, cancellationToken);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel gave up on the body: slower than the minimum data rate (408), or cut short or malformed (400).
            return new UploadBody(null, null, e.StatusCode, e.StatusCode == StatusCodes.Status408RequestTimeout
                ? "the upload arrived too slowly (below the server's minimum data rate) and was stopped; send it again"
                : $"the upload body could not be read: {e.Message}");
        }
    }

    private static async Task<UploadBody> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
            return TooLarge(request.ContentLength.Value, limit);
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return await ReadMultipartAsync(request, type, limit, cancellationToken);
        // Streamed into a buffer that grows with the bytes that actually arrive: a declared Content-Length is
        // never allocated up front (a client that declares 64 MiB and stalls costs nothing; Kestrel's minimum
        // data rate cuts it off), and a body longer than declared or than the limit is refused.
        var body = await ReadLimitedAsync(request.Body, limit, cancellationToken);
        if (body is null) return TooLarge(null, limit);
        if (request.ContentLength is { } length && body.Length != length)
            return new UploadBody(null, null, 400, $"the body ended after {body.Length} of {length} bytes");
        return new UploadBody(body, null);
    }

    private static async Task<UploadBody> ReadMultipartAsync(HttpRequest request, MediaTypeHeaderValue type,
        long limit, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
            return new UploadBody(null, null, 400, "multipart/form-data without a boundary");
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = limit };
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFileDisposition()) continue;
                var bytes = await ReadLimitedAsync(section.Body, limit, cancellationToken);
                if (bytes is null) return TooLarge(null, limit);
                var name = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                return new UploadBody(bytes, string.IsNullOrEmpty(name) ? null : Path.GetFileName(name));
            }
        }
        catch (InvalidDataException e) when (e.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
        {
            return TooLarge(null, limit);
        }
        catch (IOException e)
        {
            return new UploadBody(null, null, 400, $"malformed multipart body: {e.Message}");
        }
        return new UploadBody(null, null, 422, "the multipart form has no file part: send the FIT file as a file field");
    }

    private const int ChunkSize = 64 * 1024;

    /// <summary>
    /// The stream's bytes, or null when it holds more than <paramref name="limit"/>. The body arrives into chunks
    /// borrowed from the shared pool and is copied once into an array of its exact size: a growing MemoryStream
    /// allocated and dropped two large-object-heap arrays per one-hour ride (128 and 256 KiB) besides the result.
    /// </summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        var chunks = new List<byte[]>(4);
        long total = 0;
        try
        {
            while (true)
            {
                var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
                chunks.Add(chunk);
                var filled = 0;
                int read;
                while (filled < ChunkSize && (read = await stream.ReadAsync(chunk.AsMemory(filled, ChunkSize - filled), cancellationToken)) > 0)
                {
                    filled += read;
                    total += read;
                    if (total > limit) return null;
                }
                if (filled == ChunkSize) continue;
                var bytes = GC.AllocateUninitializedArray<byte>(checked((int)total));
                for (var i = 0; i < chunks.Count; i++)
                {
                    var length = i == chunks.Count - 1 ? filled : ChunkSize;
                    chunks[i].AsSpan(0, length).CopyTo(bytes.AsSpan(i * ChunkSize));
                }
                return bytes;
            }
        }
        finally
        {
            foreach (var chunk in chunks) ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static UploadBody TooLarge(long? size, long limit) => new(null, null, 413,
        size is { } s ? $"the upload is {s} bytes; the limit is {limit} bytes"
            : $"the upload exceeds the limit of {limit} bytes");
}
