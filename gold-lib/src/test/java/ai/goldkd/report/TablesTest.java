package ai.goldkd.report;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TablesTest {

    @Test
    void escapesTextAndAlignsNumbers() {
        Table t = Table.create("a <b>", StringColumn.create("text", "x & \"y\""), DoubleColumn.create("value", 1.5));
        String html = Tables.html(t, 10);
        assertTrue(html.contains("<caption style=\"text-align:left;font-weight:bold\">a &lt;b&gt;</caption>"));
        assertTrue(html.contains("x &amp; &quot;y&quot;"));
        assertTrue(html.contains("text-align:right\">1.5</td>"));
        assertTrue(html.contains("text-align:left\">x &amp;"));
    }

    @Test
    void longTablesAreCutInTheMiddle() {
        Table t =
                Table.create("n", IntColumn.create("i", IntStream.range(0, 100).toArray()));
        String html = Tables.html(t, 10);
        assertEquals(12, html.split("<tr>").length - 1, "header + 5 head rows + marker + 5 tail rows");
        assertTrue(html.contains("... 90 rows ..."));
        assertTrue(html.contains(">4</td>") && html.contains(">95</td>"));
        assertFalse(html.contains(">5</td>") || html.contains(">94</td>"));
    }
}
