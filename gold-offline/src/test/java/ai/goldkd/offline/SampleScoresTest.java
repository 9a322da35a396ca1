package ai.goldkd.offline;

import ai.djl.ndarray.NDManager;
import ai.goldkd.model.CausalLm;
import ai.goldkd.model.Generation;
import ai.goldkd.model.Sampler;
import ai.goldkd.model.SamplingConfig;
import ai.goldkd.model.TransformerConfig;
import ai.goldkd.teacher.LocalTeacher;
import ai.goldkd.tokenizer.ByteTokenizer;
import ai.goldkd.train.distill.DistillationBatches;
import ai.goldkd.train.distill.PromptExample;
import ai.goldkd.train.distill.SampleScores;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleScoresTest {

    private static final MarkovLanguage LANGUAGE = MarkovLanguage.defaults();
    private static final TransformerConfig TINY = TransformerConfig.defaults()
            .withLayers(1)
            .withDim(16, 32)
            .withHeads(2)
            .withVocab(ByteTokenizer.VOCAB)
            .withContext(64);

    @Test
    void aStudentScoredAgainstItselfIsZeroKlBothWays() {
        ByteTokenizer tokenizer = ByteTokenizer.create();
        List<PromptExample> held = LANGUAGE.examples(40, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm student = new CausalLm(TINY).initialize(m);
            SampleScores s = SampleScores.of(student, tokenizer, new LocalTeacher(student, tokenizer), held, 12, 5);
            assertEquals(0, s.forwardKl(), 1e-4, "the same model on the same references");
            assertEquals(0, s.reverseKl(), 1e-3, "the sampler's logprobs and the model's own scoring agree");
            assertTrue(s.quality() > 4, "a random model spreads over 259 tokens: " + s.quality());
        }
    }

    @Test
    void qualityIsTheChainsNllOfTheStudentsOwnSamplesAndCoverageIsAtLeastTheEntropyRate() {
        ByteTokenizer tokenizer = ByteTokenizer.create();
        MarkovTeacher teacher = new MarkovTeacher(LANGUAGE);
        List<PromptExample> held = LANGUAGE.examples(30, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm student = new CausalLm(TINY).initialize(m);
            SampleScores s = SampleScores.of(student, tokenizer, teacher, held, 8, 11);
            // the same samples again (one batch: seed 11 + 0), scored by the chain's table in plain Java
            List<int[]> prompts = new ArrayList<>();
            held.forEach(e -> prompts.add(DistillationBatches.promptIds(tokenizer, e.prompt())));
            List<Generation> samples = new Sampler(student, tokenizer)
                    .generateIds(
                            prompts,
                            SamplingConfig.defaults()
                                    .withTemperature(1f)
                                    .withMaxNewTokens(8)
                                    .withSeed(11));
            double[][] table = LANGUAGE.table();
            double sum = 0;
            int count = 0;
            for (int k = 0; k < held.size(); k++) {
                String prompt = held.get(k).prompt();
                int previous = LANGUAGE.symbol(prompt.charAt(prompt.length() - 2));
                int last = LANGUAGE.symbol(prompt.charAt(prompt.length() - 1));
                for (int token : samples.get(k).tokens()) {
                    double[] row = table[LANGUAGE.state(previous, last)];
                    boolean letter = token >= 'a' && token < 'a' + LANGUAGE.letters();
                    double logit = token == ByteTokenizer.EOS
                            ? row[LANGUAGE.end()]
                            : letter ? row[token - 'a'] : MarkovTeacher.NEVER;
                    // the teacher's logits are renormalised over the 259 tokens: 242 at NEVER beside a distribution
                    sum -= logit - Math.log1p(242 * Math.exp(MarkovTeacher.NEVER));
                    count++;
                    previous = last;
                    last = letter ? token - 'a' : LANGUAGE.boundary();
                }
            }
            assertEquals(sum / count, s.quality(), 1e-3);
            assertEquals((double) count / held.size(), s.sampleLength(), 1e-9);
            assertEquals(LANGUAGE.nll(held), s.teacherNll(), 1e-4, "the chain's NLL of its own samples");
            assertTrue(s.forwardKl() > 1, "a random student is far from the chain: " + s.forwardKl());
        }
    }
}
