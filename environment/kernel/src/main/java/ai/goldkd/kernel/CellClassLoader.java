package ai.goldkd.kernel;

import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the notebook's classes: the cells' compiled snippets and the jars of the notebook class path
 * (gold-lib and its dependencies).
 *
 * <p>Its parent is the platform class loader, not the kernel's, so gold-lib resolves its own Gson and
 * SLF4J whatever versions the kernel carries. The one way into the kernel is {@link NotebookBridge},
 * whose package this loader delegates to the kernel's loader.
 */
final class CellClassLoader extends URLClassLoader {

    private static final String BRIDGE_PACKAGE = NotebookBridge.class.getPackageName() + ".";

    private final Map<String, byte[]> snippets = new ConcurrentHashMap<>();
    private final ClassLoader kernelLoader;

    CellClassLoader(ClassLoader kernelLoader) {
        super("gold-cells", new URL[0], ClassLoader.getPlatformClassLoader());
        this.kernelLoader = kernelLoader;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (name.startsWith(BRIDGE_PACKAGE)) {
            return kernelLoader.loadClass(name);
        }
        byte[] bytes = snippets.get(name);
        if (bytes != null) {
            return defineClass(name, bytes, 0, bytes.length);
        }
        return super.findClass(name);
    }

    /** The JShell side of this loader: installs snippets and class path entries, finds loaded classes. */
    LoaderDelegate delegate() {
        return new LoaderDelegate() {
            @Override
            public void load(ClassBytecodes[] classes) throws ClassInstallException {
                install(classes);
            }

            @Override
            public void classesRedefined(ClassBytecodes[] classes) {
                for (ClassBytecodes c : classes) {
                    snippets.put(c.name(), c.bytecodes());
                }
            }

            @Override
            public void addToClasspath(String path) throws InternalException {
                addPath(path);
            }

            @Override
            public Class<?> findClass(String name) throws ClassNotFoundException {
                return loadClass(name);
            }
        };
    }

    private void install(ClassBytecodes[] classes) throws ClassInstallException {
        boolean[] installed = new boolean[classes.length];
        for (ClassBytecodes c : classes) {
            snippets.put(c.name(), c.bytecodes());
        }
        for (int i = 0; i < classes.length; i++) {
            try {
                loadClass(classes[i].name());
                installed[i] = true;
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ClassInstallException("cannot load " + classes[i].name() + ": " + e, installed);
            }
        }
    }

    /**
     * Adds class path entries before any cell runs.
     *
     * @param path entries separated as the platform does
     */
    void addPaths(String path) {
        try {
            addPath(path);
        } catch (InternalException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private void addPath(String path) throws InternalException {
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                addURL(Path.of(entry).toUri().toURL());
            } catch (MalformedURLException e) {
                throw new InternalException("class path entry " + entry + " is not a valid path: " + e.getMessage());
            }
        }
    }
}
