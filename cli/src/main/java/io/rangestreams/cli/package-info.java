/**
 * The {@code range-streams} command line: {@code info}, {@code get}, {@code ls}, {@code cat}, {@code cp},
 * {@code serve} and {@code demo}, with the global options {@code --transport}, {@code --store},
 * {@code --stats} and {@code --verbose}. {@link io.rangestreams.cli.Main} is the entry point;
 * {@link io.rangestreams.cli.StaticFileServer} is the range-capable loopback server behind {@code serve}
 * and {@code demo}.
 */
package io.rangestreams.cli;
