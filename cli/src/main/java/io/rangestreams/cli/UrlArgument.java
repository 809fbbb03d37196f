package io.rangestreams.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts a URL argument: an absolute {@code http} or {@code https} URL with a host. */
final class UrlArgument implements ITypeConverter<URI> {

    @Override
    public URI convert(String value) {
        return parse(value);
    }

    /**
     * Parses a URL.
     *
     * @throws TypeConversionException naming the value and what is wrong with it
     */
    static URI parse(String value) {
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new TypeConversionException("'" + value + "' is not a URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new TypeConversionException("'" + value + "' is not an http or https URL"
                    + (uri.getScheme() == null ? " (no scheme; try http://" + value + ")" : ""));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new TypeConversionException("'" + value + "' has no host");
        }
        return uri;
    }
}
