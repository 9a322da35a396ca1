/**
 * Offline teachers: text generators that need no LLM and no network, built in seconds from a labelled
 * corpus (the IMDB TRAIN split), so the GOLD loop runs anywhere.
 *
 * <h2>The idea</h2>
 * GOLD works when a teacher, given a few examples from a region the student finds unfamiliar, writes
 * <em>new</em> samples from that region. In-context learning in LLMs behaves like inference over a latent
 * concept: examples shift the model's belief about which region to write from, and it writes fresh
 * text there. {@link ai.goldkd.offline.LatentTopicTeacher} does exactly that with parts one can
 * read in an afternoon:
 * <ol>
 *   <li><b>Topics.</b> {@link ai.goldkd.offline.TopicModel} clusters the TRAIN reviews by
 *       spherical k-means on tf-idf vectors (30 topics by default: horror, westerns, musicals, TV series,
 *       "worst ever", ...).</li>
 *   <li><b>Writers.</b> {@link ai.goldkd.offline.TopicNgramModel} holds one interpolated trigram
 *       model per (label, topic), backed off to the label's model, plus each topic's word lifts.</li>
 *   <li><b>Belief.</b> A prompt is read by a fixed contract ({@link ai.goldkd.offline.TeacherPrompt}:
 *       the last label name, the numbered examples, "clearly different"). The examples' topic posteriors,
 *       mixed with a prior peaked on frequent topics, give the belief a sample's topic is drawn from.</li>
 *   <li><b>Writing.</b> {@link ai.goldkd.offline.SampleWriter} writes a review word by word from the
 *       chosen (label, topic) model, with temperature, top-k, top-p, stop sequences and seeds as an LLM
 *       server honours them. Examples are never copied.</li>
 * </ol>
 * {@link ai.goldkd.offline.ArithmeticWriter} applies the same idea to the seq2seq task
 * {@code arithmetic-answer}: the latent variable is the problem's family, read from the examples by naive
 * Bayes; a problem is written fresh from the family's 4-gram model over delexicalised text, with new
 * names and numbers and a realistic share of mistakes ({@link ai.goldkd.offline.ArithmeticCheck}).
 * {@link ai.goldkd.offline.CacheTrigramTeacher} is the baseline a prototype measured: a
 * class-conditional trigram whose examples act through a cache mixed in at 0.4; it copies them.
 * {@link ai.goldkd.offline.TransformerTeacher} is the third candidate: a small word-level causal
 * transformer LM trained on packed TRAIN reviews ({@code <label> review <eos>}), reading the prompt's last
 * examples before the label token ({@link ai.goldkd.offline.TransformerTraining}, cached by
 * {@link ai.goldkd.offline.TransformerRecipe}).
 *
 * <h2>Use</h2>
 * <pre>{@code
 * Generator teacher = ImdbTeachers.latentTopic();     // builds $GOLD_HOME/teachers/imdb-HASH on first use
 * List<Completion> out = teacher.generate(GenerationRequest.of(prompt).withN(8).withTemperature(0.8f)
 *         .withTopK(20).withMaxTokens(160).withStop(List.of("\n")).withSeed(1L));
 * }</pre>
 * From the shell: {@code gold teacher build imdb}, {@code gold serve --model imdb},
 * {@code gold teacher report imdb --out FILE.json}, and the same with {@code imdb-transformer};
 * {@code gold serve --model arithmetic-writer}, {@code gold teacher report arithmetic-writer}.
 * {@link ai.goldkd.offline.TeacherHealth}
 * checks generated data against real data: label consistency, distinct-2, topic overlap and coverage,
 * steering.
 */
package ai.goldkd.offline;
