package ai.goldkd.report;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Renders Tablesaw tables as compact HTML, with numbers right-aligned and long tables cut. */
public final class Tables {

    /** Rows shown inline before a table is cut in the middle. */
    public static final int DEFAULT_MAX_ROWS = 30;

    private Tables() {}

    /**
     * Renders a table as an HTML {@code <table>} with its name as caption.
     *
     * @param table the table
     * @param maxRows the most rows to show; the middle is elided beyond it
     * @return the HTML fragment
     */
    public static String html(Table table, int maxRows) {
        StringBuilder out = new StringBuilder();
        out.append("<table class=\"gold-table\" style=\"border-collapse:collapse;font-size:90%\">");
        if (table.name() != null && !table.name().isBlank()) {
            out.append("<caption style=\"text-align:left;font-weight:bold\">")
                    .append(escape(table.name()))
                    .append("</caption>");
        }
        out.append("<thead><tr>");
        for (Column<?> column : table.columns()) {
            out.append("<th style=\"padding:2px 8px;border-bottom:1px solid #888\">")
                    .append(escape(column.name()))
                    .append("</th>");
        }
        out.append("</tr></thead><tbody>");
        int rows = table.rowCount();
        int head = rows <= maxRows ? rows : maxRows / 2;
        int tailStart = rows <= maxRows ? rows : rows - (maxRows - head);
        for (int r = 0; r < rows; r++) {
            if (r == head && head < tailStart) {
                out.append("<tr><td colspan=\"")
                        .append(table.columnCount())
                        .append("\" style=\"text-align:center\">... ")
                        .append(tailStart - head)
                        .append(" rows ...</td></tr>");
                r = tailStart - 1;
                continue;
            }
            out.append("<tr>");
            for (Column<?> column : table.columns()) {
                boolean numeric = column instanceof NumericColumn;
                out.append("<td style=\"padding:2px 8px;text-align:")
                        .append(numeric ? "right" : "left")
                        .append("\">")
                        .append(escape(column.getString(r)))
                        .append("</td>");
            }
            out.append("</tr>");
        }
        out.append("</tbody></table>");
        return out.toString();
    }

    /**
     * Escapes text for HTML.
     *
     * @param text the text
     * @return the text with {@code & < > "} escaped
     */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
