package ai.goldkd.gold;

import ai.goldkd.data.Example;
import ai.goldkd.data.Task;

import java.util.List;

/** Trains and scores a run's final student (also the {@code real-data} baseline's only step). */
final class FinalStudent {

    private FinalStudent() {}

    /**
     * Trains a fresh student on samples, scores it on the real test set and writes {@code final/}.
     *
     * @param config the run's settings
     * @param task the task
     * @param samples the training samples
     * @param dropped how many samples the noise filter dropped before (recorded in the result)
     * @param test the real test set
     * @param dir where the student and result go
     * @return the result
     */
    static RunResult train(
            GoldConfig config, Task task, List<Example> samples, int dropped, List<Example> test, RunDirectory dir) {
        if (samples.isEmpty()) {
            throw new IllegalStateException("no sample to train the final student on: every generation was rejected"
                    + " or dropped; see the rejects.jsonl files in " + dir.path() + " for the reasons");
        }
        try (LoopStudent fresh = LoopStudents.fresh(config, task, dir.finalDir().resolve("updates"))) {
            double loss = fresh.train(samples, config.finalStudent().epochs(), config.seed() * 104_729L + 3);
            LoopStudent.Score score = fresh.evaluate(test);
            RunResult result = new RunResult(
                    config.name(), config.seed(), samples.size(), dropped, score.accuracy(), loss, score.slices());
            fresh.save(dir.finalDir());
            dir.writeResult(result);
            return result;
        }
    }
}
