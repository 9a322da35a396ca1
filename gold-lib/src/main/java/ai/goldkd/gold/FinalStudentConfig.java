package ai.goldkd.gold;

/**
 * The final student: fresh weights trained on what the loop generated, the noisiest dropped.
 *
 * @param noiseDrop the top share of the OOD score dropped before the final student trains
 * @param epochs its passes over its data
 * @param sceAlpha its cross-entropy weight (classifier students)
 * @param sceBeta its reverse cross-entropy weight (0: plain cross-entropy)
 * @param whiteBoxTeacher sequence students: a checkpoint directory of a teacher language model with the
 *     student's tokenizer; the final student then learns by token-level KD (forward KL) on the kept
 *     samples instead of their answers alone; null for none
 */
public record FinalStudentConfig(double noiseDrop, int epochs, float sceAlpha, float sceBeta, String whiteBoxTeacher) {

    /** Checks every field and names the bad value. */
    public FinalStudentConfig {
        GoldConfig.require(
                noiseDrop >= 0 && noiseDrop < 1, "finalStudent.noiseDrop must be in [0, 1), got " + noiseDrop);
        GoldConfig.require(epochs >= 1, "finalStudent.epochs must be >= 1, got " + epochs);
        GoldConfig.require(
                sceAlpha >= 0 && sceBeta >= 0 && sceAlpha + sceBeta > 0,
                "finalStudent.sceAlpha and" + " sceBeta must be >= 0 and not both 0, got " + sceAlpha + ", " + sceBeta);
    }

    /** GOLD's: the top 10% dropped, 5 passes, plain cross-entropy, no white-box teacher. */
    public static FinalStudentConfig defaults() {
        return new FinalStudentConfig(0.1, 5, 1f, 0f, null);
    }

    /** @return a copy dropping another share */
    public FinalStudentConfig withNoiseDrop(double value) {
        return new FinalStudentConfig(value, epochs, sceAlpha, sceBeta, whiteBoxTeacher);
    }

    /** @return a copy taking another number of passes */
    public FinalStudentConfig withEpochs(int value) {
        return new FinalStudentConfig(noiseDrop, value, sceAlpha, sceBeta, whiteBoxTeacher);
    }

    /** @return a copy trained on symmetric cross-entropy with these weights */
    public FinalStudentConfig withLoss(float alpha, float beta) {
        return new FinalStudentConfig(noiseDrop, epochs, alpha, beta, whiteBoxTeacher);
    }

    /** @return a copy learning from the white-box teacher in {@code dir} (null: from the answers) */
    public FinalStudentConfig withWhiteBoxTeacher(String dir) {
        return new FinalStudentConfig(noiseDrop, epochs, sceAlpha, sceBeta, dir);
    }
}
