/**
 * The {@code range-streams} command line: {@code info}, {@code get}, {@code ls}, {@code cat}, {@code cp},
 * {@code serve}, {@code demo} and {@code help}, with the global options {@code --transport},
 * {@code --store}, {@code --cacert}, {@code --stats} and {@code --verbose}. {@link io.rangestreams.cli.Main}
 * is the entry point; the command line is taken apart by {@code CommandLineParser} against each verb's
 * {@code Verb} description, so a run builds the model of the one verb it runs;
 * {@link io.rangestreams.cli.StaticFileServer} is the range-capable loopback server behind {@code serve}
 * and {@code demo}.
 */
package io.rangestreams.cli;
