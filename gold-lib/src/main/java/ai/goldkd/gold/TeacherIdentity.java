package ai.goldkd.gold;

import ai.goldkd.data.Sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What makes a teacher's answers its own, as the completion cache keys them ({@link
 * ai.goldkd.teacher.CachedGenerator}): an endpoint teacher is its model and the URLs of its replicas
 * (replicas serve one model, so any of them may have written an answer); an offline teacher is its
 * name and the SHA-256 of the code that runs it (the jar, or every class file of a classes folder), so
 * a changed teacher never replays the answers of the old one.
 */
final class TeacherIdentity {

    private TeacherIdentity() {}

    /** An endpoint teacher: {@code endpoint MODEL URL...} with the URLs sorted. */
    static String endpoint(TeacherSpec spec) {
        TreeSet<String> urls = new TreeSet<>();
        spec.replicas().forEach(e -> urls.add(spec.clientConfig(e.url()).baseUrl()));
        return "endpoint " + spec.model() + " " + String.join(" ", urls);
    }

    /** An offline teacher: {@code offline NAME CODE-HASH}. */
    static String offline(TeacherKind kind, Class<?> teacherClass) {
        TreeSet<String> hashes = new TreeSet<>();
        for (Class<?> c : List.of(teacherClass, TeacherIdentity.class)) {
            CodeSource source = c.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return null; // no code to hash: not cached
            }
            try {
                Path where = Path.of(source.getLocation().toURI());
                hashes.add(hash(where)); // once per opened teacher: a jar or a classes folder, milliseconds
            } catch (URISyntaxException | IllegalArgumentException e) {
                return null;
            }
        }
        return "offline " + kind.label() + " " + String.join(" ", hashes);
    }

    private static String hash(Path where) {
        if (Files.isRegularFile(where)) {
            return Sha256.hex(where);
        }
        try (Stream<Path> files = Files.walk(where)) {
            StringBuilder all = new StringBuilder();
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                all.append(where.relativize(f))
                        .append(' ')
                        .append(Sha256.hex(f))
                        .append('\n');
            }
            return Sha256.hex(all.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot hash the teacher's code in " + where + " for the completion cache; turn"
                            + " the cache off (teacher.cache false)",
                    e);
        }
    }
}
