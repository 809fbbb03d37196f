package io.rangestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rangestreams.tck.RangeServer;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launcher's training run, which its start-up cache is recorded from, runs every command it names. */
class StartupTrainingTest {

    @Test
    void theTrainingRunsEveryCommandToTheEnd() throws Exception {
        StartupTraining.train();
    }

    @Test
    void theTrainingTarListsWithItsMembersSizesAndContents() throws Exception {
        String notes = "a line of notes\n".repeat(100);
        try (RangeServer server = RangeServer.start()) {
            URI tar = server.add("/training.tar", TrainingTar.of(Map.of("README.txt", "hello\n", "data/notes.txt", notes)));
            CliRun ls = CliRun.run("ls", tar.toString());
            assertThat(ls.status()).as(ls.describe()).isZero();
            assertThat(ls.text()).as("ls of the training tar")
                    .containsPattern("-rw-r--r-- .* 2024-06-30 \\d\\d:00 +6 +\\d+ +README\\.txt")
                    .contains("2 members, " + (6 + notes.length()) + " bytes");
            CliRun cat = CliRun.run("cat", tar.toString(), "data/notes.txt");
            assertThat(cat.text()).as("cat of a member of the training tar").isEqualTo(notes);
        }
    }
}
