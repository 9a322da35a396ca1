package ai.goldkd.data.arithmetic;

/** The names (with their pronouns), objects and containers that {@link ArithmeticGenerator}'s templates use. */
final class ProblemWords {

    private ProblemWords() {}

    static final String[][] PEOPLE = {
        {"Ana", "She"}, {"Ben", "He"}, {"Carla", "She"}, {"Dev", "He"}, {"Eva", "She"}, {"Farid", "He"},
        {"Grace", "She"}, {"Hugo", "He"}, {"Iris", "She"}, {"Jamal", "He"}, {"Kim", "She"}, {"Leo", "He"},
        {"Maya", "She"}, {"Nico", "He"}, {"Olga", "She"}, {"Pablo", "He"}, {"Rosa", "She"}, {"Sam", "He"},
        {"Tara", "She"}, {"Umar", "He"}, {"Vera", "She"}, {"Wen", "He"}, {"Yara", "She"}, {"Zane", "He"},
    };
    static final String[] THINGS = {
        "apples",
        "pencils",
        "stickers",
        "marbles",
        "books",
        "cookies",
        "stamps",
        "shells",
        "cards",
        "balloons",
        "crayons",
        "buttons",
        "eggs",
        "oranges",
        "coins",
        "flowers",
        "toy cars",
        "beads",
        "candles",
        "plums"
    };
    static final String[] CONTAINERS = {"bags", "boxes", "packs", "jars", "baskets", "trays"};
}
