package dev.mnemo.calcite;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.Reader;
import java.util.Map;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.commons.compiler.Cookable;
import org.codehaus.commons.compiler.ErrorHandler;
import org.codehaus.commons.compiler.ISimpleCompiler;
import org.codehaus.commons.compiler.WarningHandler;
import org.codehaus.janino.CompilerFactory;

/**
 * Janino, as Calcite finds it (the first {@code ICompilerFactory} service on the class path), with a cache of the
 * classes it compiled: Calcite compiles each statement's generated Java source with a new {@link ISimpleCompiler},
 * and a source compiled before (any connection, any statement text whose plan generates the same code: a comment,
 * a column alias or the whitespace changed, the same statement on another pooled connection) gets the class compiled
 * then instead of compiling again, which takes about 40% of planning a TPC-H query. Generated code holds no state of
 * its statement: its values come from the statement's data context, and its static fields are constants of the
 * source itself. Everything else is Janino's, unchanged. (Public only for {@link java.util.ServiceLoader}.)
 */
public final class CachingCompilerFactory extends CompilerFactory {
    /** Compiled sources by their text (and parent class loader), about 64 MiB of source at most. */
    private static final Cache<Key, ClassLoader> COMPILED = Caffeine.newBuilder()
            .maximumWeight(64L << 20).weigher((Key k, ClassLoader v) -> k.source().length()).build();

    private record Key(ClassLoader parent, String source) {
    }

    @Override
    public ISimpleCompiler newSimpleCompiler() {
        return new CachingCompiler(super.newSimpleCompiler());
    }

    /** How many sources the cache holds (for tests). */
    static long cachedSources() {
        COMPILED.cleanUp();
        return COMPILED.estimatedSize();
    }

    /** Janino's compiler, with the cache in front of {@link #cook(String, Reader)}. */
    private static final class CachingCompiler extends Cookable implements ISimpleCompiler {
        private final ISimpleCompiler janino;
        private ClassLoader parent = Thread.currentThread().getContextClassLoader();
        private ClassLoader loader;

        CachingCompiler(ISimpleCompiler janino) {
            this.janino = janino;
        }

        @Override
        public void cook(String fileName, Reader r) throws CompileException, IOException {
            StringBuilder text = new StringBuilder();
            char[] buf = new char[8192];
            for (int n; (n = r.read(buf)) > 0; ) {
                text.append(buf, 0, n);
            }
            String source = text.toString();
            Key key = new Key(parent, source);
            ClassLoader cached = COMPILED.getIfPresent(key);
            if (cached == null) {
                janino.cook(fileName, source);
                cached = janino.getClassLoader();
                COMPILED.put(key, cached);
            }
            loader = cached;
        }

        @Override
        public void setParentClassLoader(ClassLoader parentClassLoader) {
            parent = parentClassLoader;
            janino.setParentClassLoader(parentClassLoader);
        }

        @Override
        public void setDebuggingInformation(boolean debugSource, boolean debugLines, boolean debugVars) {
            janino.setDebuggingInformation(debugSource, debugLines, debugVars);
        }

        @Override
        public void setCompileErrorHandler(ErrorHandler compileErrorHandler) {
            janino.setCompileErrorHandler(compileErrorHandler);
        }

        @Override
        public void setWarningHandler(WarningHandler warningHandler) {
            janino.setWarningHandler(warningHandler);
        }

        @Override
        public ClassLoader getClassLoader() {
            if (loader == null) {
                throw new IllegalStateException("not cooked yet");
            }
            return loader;
        }

        @Override
        public void setSourceVersion(int version) {
            janino.setSourceVersion(version);
        }

        @Override
        public void setTargetVersion(int version) {
            janino.setTargetVersion(version);
        }

        @Override
        public Map<String, byte[]> getBytecodes() {
            return janino.getBytecodes();
        }
    }
}
