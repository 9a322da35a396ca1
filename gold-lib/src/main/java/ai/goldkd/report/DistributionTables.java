package ai.goldkd.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.goldkd.loss.Distributions;
import ai.goldkd.loss.Divergence;
import ai.goldkd.nd.Scalars;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small tables of distributions for the teaching notebooks: a softmax at several temperatures, a divergence family. */
public final class DistributionTables {

    private DistributionTables() {}

    /**
     * softmax(z / T) for each temperature T, computed with DJL on {@code manager}'s device, rounded to 3 places.
     *
     * @param manager where the arrays live
     * @param logits the logits z, one per token (tokens named a, b, c, ...)
     * @param temperatures the temperatures, > 0
     * @return one row per token, one column per temperature
     */
    public static Table softmaxAtTemperatures(NDManager manager, float[] logits, float... temperatures) {
        String[] tokens = new String[logits.length];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = String.valueOf((char) ('a' + i));
        }
        Table table =
                Table.create("softmax of " + java.util.Arrays.toString(logits), StringColumn.create("token", tokens));
        for (float t : temperatures) {
            if (!(t > 0)) {
                throw new IllegalArgumentException("temperature " + t + " is not above 0; give temperatures > 0");
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray z = scope.create(logits);
                float[] p = Scalars.div(z, t).softmax(0).toFloatArray();
                DoubleColumn column = DoubleColumn.create(String.format(Locale.ROOT, "T=%s", t));
                for (float v : p) {
                    column.append(Math.round(v * 1000) / 1000.0);
                }
                table.addColumns(column);
            }
        }
        return table;
    }

    /**
     * Each divergence of a family between a teacher p and several students q, rounded to 4 places.
     *
     * @param title the table's title
     * @param family the divergences (e.g. {@code Divergences.family()})
     * @param teacher p
     * @param students q by column name, in the map's order
     * @return one row per divergence, one column per student
     */
    public static Table divergences(
            String title, List<Divergence> family, float[] teacher, Map<String, float[]> students) {
        Table table = Table.create(
                title,
                StringColumn.create(
                        "divergence", family.stream().map(Divergence::name).toList()));
        students.forEach((name, q) -> table.addColumns(DoubleColumn.create(
                name,
                family.stream().mapToDouble(d -> Math.round(1e4 * Distributions.divergence(d, teacher, q)) / 1e4))));
        return table;
    }
}
