package ai.goldkd.gold;

import ai.goldkd.ood.FeedbackSelector;
import ai.goldkd.prompt.Parsing;
import ai.goldkd.report.Histograms;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Generated samples, rejects and texts as tables a notebook shows, with long text cut so a row stays
 * one or two lines.
 */
public final class SampleTables {

    /** Characters of text kept per cell unless told otherwise. */
    public static final int DEFAULT_WIDTH = 120;

    private SampleTables() {}

    /**
     * One row per sample: id, each of its fields (cut to {@code width}), and its energy when any sample
     * has one.
     *
     * @param title the table's caption
     * @param samples the samples
     * @param width the most characters of a field shown
     * @return the table
     */
    public static Table samples(String title, List<GeneratedSample> samples, int width) {
        Set<String> fields = new LinkedHashSet<>();
        samples.forEach(s -> fields.addAll(s.sample().fields().keySet()));
        fields.remove("id");
        List<String> order = new ArrayList<>(fields);
        // The label is short and reads best before the text it describes.
        order.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        Table table = Table.create(title, StringColumn.create("id"));
        order.forEach(f -> table.addColumns(StringColumn.create(f)));
        boolean energies = samples.stream().anyMatch(s -> !Float.isNaN(s.energy()));
        if (energies) {
            table.addColumns(DoubleColumn.create("energy (nats)"));
        }
        boolean shown = samples.stream().anyMatch(s -> !s.feedback().isEmpty());
        if (shown) {
            table.addColumns(StringColumn.create("prompt showed"));
        }
        for (GeneratedSample s : samples) {
            if (shown) {
                table.stringColumn("prompt showed").append(String.join(", ", s.feedback()));
            }
            table.stringColumn("id").append(s.id());
            for (String f : order) {
                String value = s.field(f);
                table.stringColumn(f).append(value == null ? "" : cut(value, width));
            }
            if (energies) {
                table.doubleColumn("energy (nats)")
                        .append(Float.isNaN(s.energy()) ? Double.NaN : Math.round(s.energy() * 10000) / 10000.0);
            }
        }
        return table;
    }

    /**
     * An iteration's validation batch ranked by energy, lowest (most familiar to the student) first,
     * with the samples chosen as feedback marked.
     *
     * @param title the table's caption
     * @param iteration the iteration
     * @param width the most characters of a field shown
     * @return the table: rank, chosen, then {@link #samples}' columns
     */
    public static Table ranked(String title, Iteration iteration, int width) {
        List<GeneratedSample> sorted = new ArrayList<>(iteration.validation());
        sorted.sort((a, b) -> Float.compare(a.energy(), b.energy()));
        Set<String> chosen = new HashSet<>();
        iteration.feedback().forEach(s -> chosen.add(s.id()));
        Table table = samples(title, sorted, width);
        IntColumn rank = IntColumn.create("rank");
        StringColumn mark = StringColumn.create("feedback");
        for (int i = 0; i < sorted.size(); i++) {
            rank.append(i);
            mark.append(chosen.contains(sorted.get(i).id()) ? "chosen" : "");
        }
        table.insertColumn(0, rank);
        table.insertColumn(1, mark);
        return table;
    }

    /**
     * One row per reject: id, reason, detail and what the teacher wrote (cut to {@code width}).
     *
     * @param title the table's caption
     * @param rejects the rejects
     * @param width the most characters of the raw text shown
     * @return the table
     */
    public static Table rejects(String title, List<Reject> rejects, int width) {
        StringColumn id = StringColumn.create("id");
        StringColumn reason = StringColumn.create("reason");
        StringColumn detail = StringColumn.create("detail");
        StringColumn raw = StringColumn.create("teacher wrote");
        for (Reject r : rejects) {
            id.append(r.id());
            reason.append(r.reason());
            detail.append(cut(r.detail() == null ? "" : r.detail(), width));
            raw.append(cut(r.raw() == null ? "" : r.raw(), width));
        }
        return Table.create(title, id, reason, detail, raw);
    }

    /**
     * Completions and what parsing made of them: accepted, or the reason and detail of the reject.
     *
     * @param title the table's caption
     * @param completions the teacher's texts
     * @param outcomes their parses, one per completion
     * @param width the most characters of a text shown
     * @return the table
     */
    public static Table parsed(String title, List<String> completions, List<Parsing.Outcome> outcomes, int width) {
        if (completions.size() != outcomes.size()) {
            throw new IllegalArgumentException(completions.size() + " completions but " + outcomes.size()
                    + " outcomes; give one outcome per completion");
        }
        StringColumn raw = StringColumn.create("teacher wrote");
        StringColumn verdict = StringColumn.create("parsing");
        StringColumn detail = StringColumn.create("detail");
        for (int i = 0; i < completions.size(); i++) {
            Parsing.Outcome o = outcomes.get(i);
            raw.append(cut(completions.get(i), width));
            verdict.append(o.accepted() ? "accepted" : "rejected: " + o.reason());
            detail.append(o.accepted() ? o.sample().fields().size() + " fields" : cut(o.detail(), width));
        }
        return Table.create(title, raw, verdict, detail);
    }

    /**
     * Two lists of texts side by side, row by row (the shorter padded with blanks).
     *
     * @param title the table's caption
     * @param leftName the left column's name
     * @param left its texts
     * @param rightName the right column's name
     * @param right its texts
     * @param width the most characters of a text shown
     * @return the table
     */
    public static Table beside(
            String title, String leftName, List<String> left, String rightName, List<String> right, int width) {
        StringColumn l = StringColumn.create(leftName);
        StringColumn r = StringColumn.create(rightName);
        for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
            l.append(i < left.size() ? cut(left.get(i), width) : "");
            r.append(i < right.size() ? cut(right.get(i), width) : "");
        }
        return Table.create(title, l, r);
    }

    /**
     * What the teacher wrote for the same seeds from the plain prompt and from the prompt with an
     * iteration's feedback, side by side.
     *
     * @param iteration the iteration whose feedback the right column's prompt showed
     * @param without the completions of the plain prompt
     * @param with the completions of the prompt with feedback
     * @return the table
     */
    public static Table feedbackBeside(Iteration iteration, List<String> without, List<String> with) {
        return beside(
                "The same seeds without and with feedback",
                "without feedback",
                without,
                "with feedback from iteration " + iteration.index(),
                with,
                DEFAULT_WIDTH);
    }

    /**
     * The energy histogram of an iteration's OOD-validation batch, with the band the feedback is
     * chosen from shaded.
     *
     * @param iteration the iteration
     * @param feedback the feedback settings (the band's percentiles)
     * @return the figure
     */
    public static Figure energies(Iteration iteration, FeedbackConfig feedback) {
        float[] energies = iteration.energies();
        double[] band = FeedbackSelector.bandEdges(energies, feedback.bandLow(), feedback.bandHigh());
        String name = String.format(
                Locale.ROOT,
                "feedback band (%.0fth-%.0fth percentile)",
                100 * feedback.bandLow(),
                100 * feedback.bandHigh());
        return Histograms.withBand(
                "Student energy of the OOD-validation batch, iteration " + iteration.index(),
                energies,
                12,
                band[0],
                band[1],
                name,
                "energy E(x) (nats, lower = more familiar)",
                "samples (count)");
    }

    /**
     * Text on one line, cut to {@code width} characters with an ellipsis.
     *
     * @param text the text
     * @param width the most characters kept, >= 2
     * @return the text, cut
     */
    public static String cut(String text, int width) {
        if (width < 2) {
            throw new IllegalArgumentException("width must be >= 2, got " + width);
        }
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= width ? line : line.substring(0, width - 1).stripTrailing() + "…";
    }

    private static int rank(String field) {
        return field.equals("label") ? 0 : 1;
    }
}
