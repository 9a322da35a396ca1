/** ONNX graphs read without generated classes (the protobuf wire format by hand), and their conversion to Hugging Face checkpoints. */
package ai.goldkd.onnx;
