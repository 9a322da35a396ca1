/**
 * What the project needs around DJL's arrays to train correctly.
 *
 * <p>{@link ai.goldkd.nd.Scalars}: arithmetic with a number that stays correct under autograd. DJL's
 * {@code x.mul(2f)} (and {@code div}, {@code maximum}, {@code minimum}, {@code pow}, their in-place
 * forms) wraps the number in a tensor whose memory is a Java direct buffer, then closes that tensor at
 * once. PyTorch's graph keeps the tensor for the backward pass (the gradient of x * c is c), but the
 * buffer belongs to the garbage collector: after a collection, backward reads freed memory and the
 * gradient is garbage (measured with DJL 0.35.1 on CPU: d(x / 1.5)/dx read back as 7.7e13 after one
 * {@code System.gc()}; {@code ScalarsTest} keeps that check). The forward value is always right, so
 * the symptom is a training run that goes wrong late and differs from run to run.
 */
package ai.goldkd.nd;
