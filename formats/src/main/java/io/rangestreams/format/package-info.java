/**
 * Format-aware {@link io.rangestreams.RangeStream}s: zip, tar, png and conda readers that read an
 * archive's index and single members without downloading the whole resource. Each format lives in its
 * own package and is found through {@link io.rangestreams.spi.RangeStreamProvider}.
 */
package io.rangestreams.format;
