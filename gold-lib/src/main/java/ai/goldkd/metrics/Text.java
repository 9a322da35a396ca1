package ai.goldkd.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text normalisation and tokenisation shared by the text metrics. */
public final class Text {

    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
    private static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern NUMBER = Pattern.compile("-?\\d[\\d,]*(?:\\.\\d+)?|-?\\.\\d+");

    private Text() {}

    /**
     * Normalises an answer as the official SQuAD v1.1 script does: lower case, ASCII punctuation
     * removed, the articles a/an/the removed, whitespace collapsed. Non-ASCII letters are kept.
     *
     * @param s the answer
     * @return the normalised answer
     */
    public static String squadNormalize(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        StringBuilder kept = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (ASCII_PUNCTUATION.indexOf(c) < 0) {
                kept.append(c);
            }
        }
        String noArticles = ARTICLES.matcher(kept).replaceAll(" ");
        return String.join(" ", whitespaceTokens(noArticles));
    }

    /**
     * Splits on whitespace.
     *
     * @param s the text
     * @return the non-empty pieces
     */
    public static List<String> whitespaceTokens(String s) {
        List<String> tokens = new ArrayList<>();
        for (String piece : s.strip().split("\\s+")) {
            if (!piece.isEmpty()) {
                tokens.add(piece);
            }
        }
        return tokens;
    }

    /**
     * Lower-cased runs of Unicode letters and digits, as ROUGE-L compares them. (Google's
     * {@code rouge_score} keeps only {@code [a-z0-9]}; this keeps every script.)
     *
     * @param s the text
     * @return the words
     */
    public static List<String> words(String s) {
        List<String> tokens = new ArrayList<>();
        Matcher m = WORD.matcher(s.toLowerCase(Locale.ROOT));
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    /**
     * The last number in a text, such as the answer at the end of a worked solution
     * ({@code "5 + 3 = 8. The answer is 8."} gives 8). Thousands separators are dropped.
     *
     * @param s the text
     * @return the number, or {@code null} when the text has none
     */
    public static Double lastNumber(String s) {
        Matcher m = NUMBER.matcher(s);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        if (last == null) {
            return null;
        }
        return Double.parseDouble(last.replace(",", ""));
    }
}
