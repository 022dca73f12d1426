using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

using NirsSync.Data.Documents;

namespace NirsSync.Server.Http;

/// <summary>
/// Reads a request's JSON body with the API's serializer options. Malformed JSON is a 400 naming the error; a body
/// over <see cref="MaxBytes"/> is a 413 naming the limit. The cap is enforced while the body streams in (a declared
/// length over it is refused before reading, and reading stops at the first byte past it), so a JSON route never
/// holds more than the cap of one request; file uploads have their own, larger limit (NirsSync:MaxUploadBytes).
/// </summary>
internal static class JsonBody
{
    /// <summary>Largest JSON request body accepted (1 MiB: a sensor map, pairs or a spot check are a few kB).</summary>
    public const int MaxBytes = 1024 * 1024;

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes) return (default, TooLarge());
        try
        {
            await using var body = new CappedStream(request.Body, MaxBytes);
            return (await JsonSerializer.DeserializeAsync<T>(body, AnalysisJson.Options,
                request.HttpContext.RequestAborted), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, TooLarge());
        }
        catch (JsonException e)
        {
            return (default, Problems.Invalid($"malformed JSON: {e.Message}"));
        }
    }

    /// <summary>413 naming the limit.</summary>
    public static ProblemHttpResult TooLarge() => TypedResults.Problem(title: "Request body too large",
        detail: $"a JSON request body may hold at most {MaxBytes} bytes (1 MiB)", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>
    /// Caps every other JSON body (routes that bind their body as a parameter: sign-in, Garmin links) the same way:
    /// a declared length over the cap is answered 413 at once, and the body stream refuses to read past it (the
    /// binder then answers 413). The server's own limit is lowered to the cap where the host allows it. Requests
    /// whose body is not JSON (forms), file uploads and Garmin's push (with its own cap) keep their own limits.
    /// </summary>
    public static async Task CapJsonBodiesAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        // File uploads keep their own limit whatever content type a client labels them with.
        if (request.HasJsonContentType() && !request.Path.StartsWithSegments("/api/uploads")
            && !request.Path.StartsWithSegments("/api/garmin/activity-files"))
        {
            if (request.ContentLength > MaxBytes)
            {
                await TooLarge().ExecuteAsync(context);
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = MaxBytes;
            request.Body = new CappedStream(request.Body, MaxBytes);
        }
        await next();
    }

    /// <summary>A read-only view of a body that throws 413 (<see cref="BadHttpRequestException"/>) past <c>cap</c> bytes.</summary>
    private sealed class CappedStream(Stream inner, long cap) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, Room(count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer[..Room(buffer.Length)], cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        /// <summary>Reads at most one byte past the cap, enough to know the body is over it.</summary>
        private int Room(int wanted)
        {
            if (_read > cap) throw Over();
            return (int)Math.Min(wanted, cap + 1 - _read);
        }

        private int Count(int n)
        {
            _read += n;
            if (_read > cap) throw Over();
            return n;
        }

        private static BadHttpRequestException Over() =>
            new($"the request body is over {MaxBytes} bytes", StatusCodes.Status413PayloadTooLarge);

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
