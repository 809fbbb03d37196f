package io.rangestreams;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Run in a forked JVM that the test then kills: spills an endless source to a file in the given directory,
 * prints "spilled" and waits on standard input until it is killed.
 */
public final class StreamBufferKillCheck {

    private StreamBufferKillCheck() {}

    public static void main(String[] args) throws IOException {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0x5a;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 0x5a);
                return len;
            }
        };
        StreamBuffer buffer = StreamBuffer.builder(endless).memoryLimit(0).spillDirectory(Path.of(args[0])).build();
        buffer.read(4 << 20, 4096);
        System.out.println(buffer.spilled() ? "spilled" : "not spilled");
        System.out.flush();
        System.in.read();
        buffer.close();
    }
}
