package ai.goldkd.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house's structure (docs/architecture.md), checked on the compiled main classes of every module: the
 * library depends on no other module of the project, the offline world not on the application, no cycle
 * between the top-level packages, no main source file over 400 lines.
 */
class ArchitectureTest {

    static final Path ROOT =
            Path.of(System.getProperty("gold.root", ".")).toAbsolutePath().normalize();
    static final int MAX_LINES = 400;

    static JavaClasses all;
    static JavaClasses library;
    static JavaClasses offline;

    @BeforeAll
    static void importClasses() {
        all = imported(location -> true);
        library = imported(location -> module(location, "gold-lib"));
        offline = imported(location -> module(location, "gold-offline"));
        assertTrue(library.size() > 300, "gold-lib's classes were found: " + library.size());
        assertTrue(offline.size() > 30, "gold-offline's classes were found: " + offline.size());
    }

    /** A class file of a module's main output: its classes directory or its jar. */
    static boolean module(Location location, String module) {
        String uri = location.asURI().toString();
        return uri.contains("/" + module + "/target/classes/") || uri.contains("/" + module + "-0.1.0-SNAPSHOT.jar");
    }

    static JavaClasses imported(ImportOption option) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(option)
                .importPackages("ai.goldkd");
    }

    @Test
    void theLibraryImportsNoOtherModule() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("ai.goldkd.cli..", "ai.goldkd.bench..", "ai.goldkd.offline..", "ai.goldkd.kernel..")
                .because("gold-lib holds the concepts only; the offline world and the application sit on top of it")
                .check(library);
    }

    @Test
    void theOfflineWorldImportsNoApplication() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("ai.goldkd.cli..", "ai.goldkd.bench..")
                .because("gold-offline depends on gold-lib only; the commands and benchmarks are gold-app's")
                .check(offline);
    }

    @Test
    void topLevelPackagesHaveNoCycle() {
        slices().matching("ai.goldkd.(*)..").should().beFreeOfCycles().check(all);
    }

    @Test
    void noMainSourceFileIsOver400Lines() throws IOException {
        List<String> over = new ArrayList<>();
        for (String module : List.of("gold-lib", "gold-offline", "gold-app", "environment/kernel")) {
            Path src = ROOT.resolve(module).resolve("src/main/java");
            assertTrue(Files.isDirectory(src), "sources of " + module + " at " + src);
            try (Stream<Path> files = Files.walk(src)) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    long lines;
                    try (Stream<String> text = Files.lines(file)) {
                        lines = text.count();
                    }
                    if (lines > MAX_LINES) {
                        over.add(ROOT.relativize(file) + " (" + lines + " lines)");
                    }
                }
            }
        }
        assertEquals(List.of(), over, "split these into classes of one concern each (at most " + MAX_LINES + " lines)");
    }
}
