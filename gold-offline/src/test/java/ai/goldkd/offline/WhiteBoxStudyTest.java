package ai.goldkd.offline;

import ai.goldkd.model.TransformerConfig;
import ai.goldkd.tokenizer.ByteTokenizer;
import ai.goldkd.train.distill.PromptSplits;
import ai.goldkd.train.distill.Regime;
import ai.goldkd.train.distill.RegimeComparison;
import ai.goldkd.train.distill.RegimeRun;
import ai.goldkd.train.distill.WhiteBoxStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WhiteBoxStudyTest {

    @Test
    void regimesUnderSeedsAreSummarisedAndCompared(@TempDir Path dir) {
        MarkovLanguage language = MarkovLanguage.defaults();
        MarkovTeacher teacher = new MarkovTeacher(language);
        RegimeComparison compare = RegimeComparison.of(
                        teacher, new PromptSplits(language.examples(64, 1), List.of(), List.of()), dir)
                .withBatch(8)
                .withMaxNewTokens(12);
        TransformerConfig shape = TransformerConfig.defaults()
                .withLayers(1)
                .withDim(16, 32)
                .withHeads(2)
                .withVocab(ByteTokenizer.VOCAB)
                .withContext(64);
        RegimeRun start = compare.start(20, 5e-3f, shape);
        assertTrue(Double.isNaN(start.accuracy().accuracy()), "no test problems, no accuracy");
        RegimeComparison from = compare.from(start);
        WhiteBoxStudy study = WhiteBoxStudy.of(from, language.examples(20, 3));
        study.add("start", 0, start);
        study.run("SFT", from.regime(Regime.SFT, 4, 1e-3f), List.of(3L, 4L));
        study.run("supervised KD", from.regime(Regime.SUPERVISED_KD, 4, 1e-3f), List.of(3L, 4L));
        assertEquals(5, study.perSeed().rowCount());
        Table summary = study.summary();
        assertEquals(
                List.of("start", "SFT", "supervised KD"),
                summary.stringColumn("regime").asList());
        assertEquals(2, summary.intColumn("seeds").get(1));
        // the summary's mean is the mean of the rows it summarises
        double mean = study.rows().stream()
                .filter(r -> r.regime().equals("SFT"))
                .mapToDouble(r -> r.scores().reverseKl())
                .average()
                .orElseThrow();
        assertEquals(mean, summary.doubleColumn("reverse KL").get(1), 1e-3);
        Table verdicts = study.verdicts(List.of(List.of("supervised KD", "SFT")));
        assertEquals(2, verdicts.rowCount());
        assertEquals(
                study.compare("supervised KD", "SFT", "forward KL").difference(),
                verdicts.doubleColumn("first - second").get(1),
                1e-3);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> study.compare("SFT", "SeqKD", "reverse KL"));
        assertTrue(e.getMessage().contains("SeqKD"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> study.compare("SFT", "start", "accuracy"));
    }
}
