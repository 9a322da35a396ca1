package ai.goldkd.offline;

import ai.goldkd.data.Example;
import ai.goldkd.data.ImdbReviews;
import ai.goldkd.data.Split;
import ai.goldkd.teacher.Completion;
import ai.goldkd.teacher.GenerationRequest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** On real IMDB reviews, when the npm file is installed: a small build, and what it writes. */
class ImdbTeacherTest {

    @Test
    void aSmallImdbTeacherWritesReviewsOfTheAskedLabel() {
        Assumptions.assumeTrue(Files.isRegularFile(ImdbReviews.file()), "IMDB not installed at " + ImdbReviews.file());
        ImdbReviews imdb = ImdbReviews.load();
        List<Example> train = imdb.subset(Split.TRAIN, 4000);
        TopicNgramModel model = TopicNgramModel.build(
                train.stream().map(e -> e.get("text")).toList(),
                train.stream().map(e -> e.get("label")).toList(),
                ImdbReviews.LABELS,
                ImdbTeachers.recipe().withTopics(8));
        List<Example> judgeData = imdb.subset(Split.TEST, 4000);
        SentimentJudge judge = SentimentJudge.train(
                judgeData.stream().map(e -> e.get("text")).toList(),
                judgeData.stream().map(e -> e.get("label")).toList(),
                ImdbReviews.LABELS);
        LatentTopicTeacher teacher = new LatentTopicTeacher(model, LatentTopicConfig.defaults());
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (String label : ImdbReviews.LABELS) {
            String prompt = "Examples:\n1. text: A fine western with John Wayne.\n   label: positive\n\n"
                    + "Give me a novel sample of this task with label " + label + ".\ntext:";
            for (Completion c : teacher.generate(GenerationRequest.of(prompt)
                    .withN(100)
                    .withTemperature(0.8f)
                    .withTopK(20)
                    .withMaxTokens(200)
                    .withSeed(1L))) {
                assertTrue(
                        c.text().length() >= 20
                                && c.text().length() <= 600
                                && c.text().endsWith("\n"),
                        c.text());
                texts.add(c.text());
                labels.add(label);
            }
        }
        double consistency = judge.agreement(texts, labels);
        assertTrue(consistency > 0.6, "label consistency " + consistency);
    }
}
