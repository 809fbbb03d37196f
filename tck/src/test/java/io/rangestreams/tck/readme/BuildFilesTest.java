package io.rangestreams.tck.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the README and the BOM say about the build, checked against the build itself. */
class BuildFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void readmeQuickStartIsTheTestedOne() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int section = readme.indexOf("## Quick start");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        String shown = readme.substring(start, readme.indexOf("```", start));

        String test = Files.readString(ROOT.resolve("tck/src/test/java/io/rangestreams/tck/readme/QuickStartTest.java"));
        String begins = "// --- README quick start begins ---\n";
        String tested = test.substring(test.indexOf(begins) + begins.length(),
                test.indexOf("// --- README quick start ends ---"));

        assertThat(lines(shown)).as("README quick start against QuickStartTest").isEqualTo(lines(tested) + "\n}");
    }

    @Test
    void bomListsEveryModuleOfTheReactor() throws IOException {
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        List<String> artifacts = all(Pattern.compile("<module>([^<]+)</module>"), parent).stream()
                .filter(module -> !module.equals("bom"))
                .map(module -> "range-streams-" + module)
                .toList();
        String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
        List<String> listed = all(Pattern.compile("<artifactId>(range-streams-[^<]+)</artifactId>"), bom);

        assertThat(listed).as("artifacts in bom/pom.xml").contains("range-streams-bom")
                .containsAll(artifacts);
    }

    /** The block's lines stripped, so that indentation may differ between the two. */
    private static String lines(String block) {
        return block.strip().lines().map(String::strip).collect(Collectors.joining("\n"));
    }

    private static List<String> all(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
