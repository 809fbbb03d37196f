package io.rangestreams;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Collection;

/**
 * Random access to one remote resource: reads fetch what is missing with range requests, and keep it
 * in the client's store so no byte is fetched twice.
 *
 * <p>Thread safety: safe for concurrent use; concurrent reads of the same missing bytes share one
 * request.
 *
 * <p>Lifecycle: {@link #close()} is idempotent and leaves held bytes in the store; any read after
 * close throws {@link IllegalStateException}.
 *
 * <h2>Rules (enforced by the TCK's {@code RangeStreamContract})</h2>
 * <ol>
 *   <li><b>R1</b> Every read returns exactly the server's bytes.</li>
 *   <li><b>R2</b> The length is learned from the first response ({@code Content-Range}, or the
 *       {@code Content-Length} of a {@code 200}); opening with {@link Range#EMPTY} probes it with
 *       {@code HEAD}, falling back to a ranged {@code GET} when {@code HEAD} is refused.</li>
 *   <li><b>R3</b> A suffix range is sent as {@code bytes=-n} and works before the length is known;
 *       negative ranges work once it is known.</li>
 *   <li><b>R4</b> {@link #fetch} requests only bytes not already held: no request overlaps a held
 *       range; afterwards {@link #ranges()} encloses the range.</li>
 *   <li><b>R5</b> Past the end: {@link #read(Range)} throws {@link java.io.EOFException} when the range
 *       runs past the end, {@link #read(long, ByteBuffer)} returns -1 at or past the end; a range wholly
 *       past the end fetched with {@link #fetch} throws {@link RangeNotSatisfiableException}.</li>
 *   <li><b>R6</b> {@link #channel()} honours {@link SeekableByteChannel}: position, size, -1 at the
 *       end, read-only, {@link java.nio.channels.ClosedChannelException} after close.</li>
 *   <li><b>R7</b> {@link #inputStream()} reads the resource from its start to its end, honouring
 *       {@code skip} and {@code available}.</li>
 *   <li><b>R8</b> {@link #stats()} counts requests sent, body bytes received and bytes served from
 *       held bytes, truthfully; re-reading held bytes sends no request.</li>
 *   <li><b>R9</b> An unexpected status is an {@link HttpStatusException} naming it; a {@code 416} is a
 *       {@link RangeNotSatisfiableException}.</li>
 *   <li><b>R10</b> A changed remote resource never yields a mix of two versions.</li>
 *   <li><b>R11</b> {@link #close()} is idempotent; reads after close throw
 *       {@link IllegalStateException}.</li>
 * </ol>
 *
 * <h2>Rules under faults (also enforced by {@code RangeStreamContract}, with {@code RangeServer}'s faults)</h2>
 * <ol start="12">
 *   <li><b>R12</b> A server that ignores {@code Range} (200 with the whole body) is read through one
 *       streamed download spooled in a {@link StreamBuffer}: any range is served from it, no second
 *       full download happens, and {@link #resource()} says ranges are not honoured.</li>
 *   <li><b>R13</b> A body cut short or a connection reset mid-body is resumed from the last byte
 *       received with a range request carrying {@code If-Range}, within the retry budget; when the
 *       budget is spent, the error names the range and how many of its bytes arrived.</li>
 *   <li><b>R14</b> A changed remote file (R10): held bytes are dropped; by default the new version is
 *       fetched, with {@link ChangePolicy#FAIL} a {@link ResourceChangedException} is thrown.</li>
 *   <li><b>R15</b> {@code 429} and {@code 503} are retried after {@code Retry-After} (capped); other
 *       {@code 5xx} after a bounded exponential backoff; when retries are spent, an
 *       {@link HttpStatusException} with the last status.</li>
 *   <li><b>R16</b> A {@code 206} for another range than asked, or a body longer than its range, is a
 *       {@link RangeStreamException} naming both ranges, and nothing of it is stored.</li>
 *   <li><b>R17</b> Bodies without {@code Content-Length} (chunked) and servers that compress whenever
 *       allowed still yield exactly the identity bytes.</li>
 *   <li><b>R18</b> Invalid arguments (negative positions, null ranges, unsupported or relative URIs,
 *       malformed store specs, unknown names, bad options) are rejected with a message naming them,
 *       before any request, leaving the store unchanged.</li>
 *   <li><b>R19</b> Many threads reading one stream at random, through a store small enough to evict,
 *       get exact bytes and finish (no deadlock).</li>
 *   <li><b>R20</b> Two threads wanting the same missing bytes cause one request, not two.</li>
 *   <li><b>R21</b> A long sequential read fetches every byte once, in few requests: once its readahead
 *       window is at its largest, requests of up to the maximum request size are streamed as the
 *       reader advances.</li>
 *   <li><b>R22</b> When the file changes under a sequential reader, every read returns bytes of one
 *       version, and once of the new version, only of the new version.</li>
 * </ol>
 */
public interface RangeStream extends Closeable {

    /**
     * Counters of one stream.
     *
     * @param requests HTTP requests sent (including {@code HEAD}s and retries)
     * @param bytesFetched body bytes received from the network
     * @param bytesFromStore bytes served to callers that were already held when asked for
     */
    record Stats(long requests, long bytesFetched, long bytesFromStore) {
        @Override
        public String toString() {
            return "requests=" + requests + " bytes_fetched=" + bytesFetched + " bytes_from_store=" + bytesFromStore;
        }
    }

    /** The URI this stream was opened with. */
    URI uri();

    /** The length of the resource; probes the server if no response has told it yet. */
    long length() throws IOException;

    /** What is known of the resource; probes the server if no response has been seen yet. */
    ResourceInfo resource() throws IOException;

    /**
     * Makes sure the bytes of {@code range} are held, sending requests only for the gaps, and for
     * those bytes only: unlike a read, a fetch is not widened to whole blocks. A range that runs past
     * the end is clipped to the end. (A range counted from the end, fetched before the length is
     * known, is one suffix request of at least one block.)
     *
     * @throws RangeNotSatisfiableException if the range lies wholly past the end
     */
    void fetch(Range range) throws IOException;

    /**
     * Fetches several ranges, planned together (a vectored read): only the gaps, not widened to
     * blocks, gaps closer than {@code maxGap} coalesced into one request, the requests sent in parallel.
     */
    void fetchAll(Collection<Range> ranges) throws IOException;

    /** The ranges held in the store for this resource. */
    RangeSet ranges();

    /**
     * Reads bytes at {@code position} into {@code dst}, fetching what is missing.
     *
     * @return the number of bytes read (at least one if {@code dst} has room), or -1 at or past the end
     */
    int read(long position, ByteBuffer dst) throws IOException;

    /**
     * Reads exactly the bytes of {@code range}, fetching what is missing.
     *
     * @throws java.io.EOFException if the range runs past the end
     */
    byte[] read(Range range) throws IOException;

    /** A new read-only channel over the resource, with its own position starting at 0. */
    SeekableByteChannel channel();

    /** A new input stream over the resource, from its first byte. */
    InputStream inputStream();

    /** The counters of this stream so far. */
    Stats stats();

    /** Closes the stream; held bytes stay in the store. Idempotent. */
    @Override
    void close();
}
