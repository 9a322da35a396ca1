/**
 * GOLD (Gholami et al., 2024): the teacher writes a task's training data, the student's energy finds
 * which generated samples are out-of-distribution for it, and samples from the 50th-80th energy
 * percentile go back to the teacher as examples, so generation moves towards the student's blind
 * spots; the top of the energy range is dropped as noise before the final student trains.
 *
 * <p>Three ways in:
 * <ul>
 *   <li>{@link ai.goldkd.gold.Gold#run(GoldConfig, java.nio.file.Path)}: a whole run in one call;
 *   <li>{@link ai.goldkd.gold.GoldLoop}: {@code start}, then {@code next()} one {@link ai.goldkd.gold.Iteration}
 *       at a time (its samples, energies, feedback, rejects, metrics), then {@code finish()};
 *   <li>{@code gold run PRESET ... --out DIR}: the same from the command line, with a report.
 * </ul>
 *
 * <p>{@link ai.goldkd.gold.GoldConfig} holds every setting, grouped by concern (loop, feedback, scorer,
 * final student, student, teacher); its {@link ai.goldkd.gold.Preset}s are the paper's baselines
 * ({@code zerogen}, {@code progen}, {@code real-data}, {@code teacher-fewshot}) and the band's ablations,
 * plus ZeroGen sampled hotter. The swappable parts are chosen from it by an enum each: the student
 * ({@link ai.goldkd.gold.StudentKind}), the OOD scorer ({@link ai.goldkd.gold.ScorerKind}), the feedback
 * selector ({@link ai.goldkd.ood.SelectorKind}) and the teacher ({@link ai.goldkd.gold.TeacherKind}). A {@link ai.goldkd.gold.RunDirectory} keeps everything a run makes as it
 * makes it; {@link ai.goldkd.gold.GoldLoop#resume} continues a killed run to the same result.
 * {@link ai.goldkd.gold.GoldReport} and {@link ai.goldkd.offline.RunDiagnostics} compare finished runs.
 */
package ai.goldkd.gold;
