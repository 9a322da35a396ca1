package ai.goldkd.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A reader of protocol buffer messages in the wire format: a key varint {@code (field << 3) | type},
 * then a varint (type 0), 8 bytes (1), a length and that many bytes (2) or 4 bytes (5). Length-delimited
 * fields come back as views of the same buffer, so a 90 MB model is read without copying its weights.
 */
final class Protobuf {

    /** Wire type of varints. */
    static final int VARINT = 0;
    /** Wire type of 64-bit fixed values. */
    static final int FIXED64 = 1;
    /** Wire type of length-delimited values (strings, bytes, messages, packed repeats). */
    static final int BYTES = 2;
    /** Wire type of 32-bit fixed values. */
    static final int FIXED32 = 5;

    private final ByteBuffer buffer;
    private final String where;
    private int field;
    private int type;

    /**
     * Reads a message.
     *
     * @param message its bytes, from position to limit
     * @param where the file, for messages
     */
    Protobuf(ByteBuffer message, String where) {
        this.buffer = message.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.where = where;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (!buffer.hasRemaining()) {
            return false;
        }
        long key = varint();
        field = (int) (key >>> 3);
        type = (int) (key & 7);
        if (field == 0) {
            throw damaged("field number 0");
        }
        return true;
    }

    /** The current field's number. */
    int field() {
        return field;
    }

    /** The current field's wire type. */
    int type() {
        return type;
    }

    /** The current varint field's value. */
    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!buffer.hasRemaining()) {
                throw damaged("a varint runs past the end");
            }
            byte b = buffer.get();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw damaged("a varint longer than 10 bytes");
    }

    /** The current length-delimited field's bytes, as a little-endian view. */
    ByteBuffer bytes() {
        long length = varint();
        if (length < 0 || length > buffer.remaining()) {
            throw damaged("a field of " + length + " bytes where " + buffer.remaining() + " remain");
        }
        ByteBuffer view = buffer.slice().limit((int) length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.position(buffer.position() + (int) length);
        return view;
    }

    /** The current length-delimited field as UTF-8 text. */
    String string() {
        ByteBuffer view = bytes();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The current length-delimited field as a nested message. */
    Protobuf message() {
        return new Protobuf(bytes(), where);
    }

    /** The current fixed32 field as a float. */
    float fixed32Float() {
        require(4);
        return buffer.getFloat();
    }

    /** Skips the current field's value. */
    void skip() {
        switch (type) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case BYTES -> bytes();
            case FIXED32 -> advance(4);
            default -> throw damaged("wire type " + type + " of field " + field);
        }
    }

    /**
     * Reads a repeated int64 field in either encoding (packed, or one value per key).
     *
     * @param into where the values go
     */
    void int64s(List<Long> into) {
        if (type == BYTES) {
            Protobuf packed = new Protobuf(bytes(), where);
            while (packed.buffer.hasRemaining()) {
                into.add(packed.varint());
            }
        } else {
            into.add(varint());
        }
    }

    private void advance(int n) {
        require(n);
        buffer.position(buffer.position() + n);
    }

    private void require(int n) {
        if (buffer.remaining() < n) {
            throw damaged(n + " bytes needed where " + buffer.remaining() + " remain");
        }
    }

    private IllegalArgumentException damaged(String why) {
        return new IllegalArgumentException(
                where + " is not a valid ONNX file (" + why + "); it is damaged or" + " truncated: fetch it again");
    }
}
