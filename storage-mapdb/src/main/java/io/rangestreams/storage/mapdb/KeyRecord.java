package io.rangestreams.storage.mapdb;

import io.rangestreams.spi.ResourceVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The value of a key in the {@code keys} collection: the resource's numeric id and its version. */
final class KeyRecord {

    private static final byte FORMAT = 1;

    private KeyRecord() {}

    static byte[] encode(long id, ResourceVersion v) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(id);
            out.writeLong(v.length());
            writeOptional(out, v.etag());
            writeOptional(out, v.lastModified());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a record written by {@link #encode}.
     *
     * @throws IllegalStateException naming the key if the record is of another format or damaged
     */
    static HeldResource decode(String key, byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("key " + key + " is held in record format " + format
                        + "; this version reads format " + FORMAT);
            }
            long id = in.readLong();
            long length = in.readLong();
            Optional<String> etag = readOptional(in);
            Optional<String> lastModified = readOptional(in);
            return new HeldResource(key, id, new ResourceVersion(length, etag, lastModified));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("key " + key + " has a damaged record: " + e.getMessage(), e);
        }
    }

    private static void writeOptional(DataOutputStream out, Optional<String> value) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            out.writeUTF(value.get());
        }
    }

    private static Optional<String> readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
    }
}
