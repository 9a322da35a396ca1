/**
 * Students for the GOLD loop: small classifiers trained from scratch on generated data, whose logits
 * give the energy score of {@link ai.goldkd.ood.Energy}.
 *
 * <p>{@link ai.goldkd.student.Student} is the swappable part; {@link ai.goldkd.student.BagOfNgramsStudent}
 * is the default, a fastText-style model (hashed word unigrams and bigrams, averaged embeddings, a
 * linear layer) that trains in seconds on two cores and runs on the GPU through DJL when one is present.
 */
package ai.goldkd.student;
