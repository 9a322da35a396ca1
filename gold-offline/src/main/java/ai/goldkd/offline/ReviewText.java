package ai.goldkd.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the offline teachers cut text into tokens and put tokens back into text. A token is a lower-case
 * word (letters and digits, with inner apostrophes or hyphens: {@code don't}, {@code well-made}) or one
 * of the punctuation marks {@code . , ! ? ; :}; everything else (quotes, brackets, symbols) is dropped,
 * and a run of punctuation keeps its first mark, so {@code "..."} and {@code "?!"} become one token.
 */
public final class ReviewText {

    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:['\\u2019-][\\p{L}\\p{N}]+)*|[.!?,;:]");

    private ReviewText() {}

    /**
     * Cuts a text into tokens.
     *
     * @param text any text
     * @return its tokens, lower-cased
     */
    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        boolean lastWasMark = true; // also drops marks at the very start
        while (m.find()) {
            String t = m.group().replace('\u2019', '\'');
            boolean mark = isMark(t);
            if (mark && lastWasMark) {
                continue;
            }
            out.add(t);
            lastWasMark = mark;
        }
        return out;
    }

    /**
     * Whether a token is a punctuation mark.
     *
     * @param token a token
     * @return true for {@code . , ! ? ; :}
     */
    public static boolean isMark(String token) {
        return token.length() == 1 && ".,!?;:".indexOf(token.charAt(0)) >= 0;
    }

    /**
     * Whether a token ends a sentence.
     *
     * @param token a token
     * @return true for {@code . ! ?}
     */
    public static boolean endsSentence(String token) {
        return token.length() == 1 && ".!?".indexOf(token.charAt(0)) >= 0;
    }

    /**
     * Puts tokens back into text: spaces between words, none before a mark, a capital letter at the
     * start of each sentence and on the pronoun "I".
     *
     * @param tokens tokens as {@link #tokens} gives them
     * @return the text, on one line
     */
    public static String detokenize(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        boolean capital = true;
        for (String t : tokens) {
            appendToken(out, t, capital);
            capital = endsSentence(t);
        }
        return out.toString();
    }

    /**
     * Appends one token to a text being written, as {@link #detokenize} does.
     *
     * @param out the text so far
     * @param token the token
     * @param sentenceStart whether the token starts a sentence
     */
    static void appendToken(StringBuilder out, String token, boolean sentenceStart) {
        if (!out.isEmpty() && !isMark(token)) {
            out.append(' ');
        }
        if (sentenceStart || token.equals("i") || token.startsWith("i'")) {
            out.append(Character.toUpperCase(token.charAt(0))).append(token, 1, token.length());
        } else {
            out.append(token);
        }
    }

    /**
     * The length {@link #appendToken} adds.
     *
     * @param textLength the text's length so far
     * @param token the token
     * @return how many characters the text grows by
     */
    static int appendedLength(int textLength, String token) {
        return token.length() + (textLength > 0 && !isMark(token) ? 1 : 0);
    }
}
