import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.goldkd.model.Checkpoint;
import ai.goldkd.data.Split;
import ai.goldkd.data.Task;
import ai.goldkd.data.TaskCatalog;
import ai.goldkd.loss.Divergences;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.train.distill.HeldOutDivergence;
import ai.goldkd.train.distill.PromptExample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Prints, for each run directory, the forward KL(teacher || student) on the first N test answers
 * (HeldOutDivergence) beside the run's own results.json accuracy. Run from the checkout's root:
 * java -cp "$CP" docs/distill/TopKHeldOut.java TEACHER_DIR N RUN_DIR...
 */
public class TopKHeldOut {
    public static void main(String[] args) throws Exception {
        TaskCatalog catalog = TaskCatalog.locate();
        Task task = catalog.task("arithmetic-answer");
        List<PromptExample> test = PromptExample.of(task, catalog.examples(task, Split.TEST)).subList(0,
                Integer.parseInt(args[1]));
        // Checkpoint.load, not LocalTeacher.load: a run directory's config.json reads as a Hugging Face one
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Checkpoint t = Checkpoint.load(Path.of(args[0]), manager);
            LocalTeacher teacher = new LocalTeacher(t.languageModel(), t.tokenizer());
            for (int i = 2; i < args.length; i++) {
                try (NDManager own = NDManager.newBaseManager(Device.cpu())) {
                    Checkpoint student = Checkpoint.load(Path.of(args[i]), own);
                    double kl = HeldOutDivergence.of(teacher, student.languageModel(), student.tokenizer(), test,
                            Divergences.forwardKl(), 50);
                    String results = Files.readString(Path.of(args[i], "results.json"));
                    System.out.printf(Locale.ROOT, "%s held_out_forward_kl %.4f %s%n", args[i], kl,
                            results.replaceAll("(?s).*\"accuracy\": ([0-9.]+).*\"train_seconds\": ([0-9.]+).*",
                                    "accuracy $1 train_seconds $2"));
                }
            }
        }
    }
}
