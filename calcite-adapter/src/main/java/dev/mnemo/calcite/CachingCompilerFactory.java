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
 * then instead of compiling again, which takes about 40% of planning a TPC-H query. Generated code takes its
 * statement's values from the statement's data context; what it can share is its static fields, where linq4j hoists
 * the expressions it takes for constants. Those are immutable values (numbers, strings) in most plans, but some are
 * objects with state ({@code RandomFunction}'s seeded generator, {@code DateFormatFunction}'s buffer), which must not
 * outlive their statement or be shared between threads: so a source is cached only if each of its static fields is
 * final and of a type known to be immutable ({@link #cacheable}); any other is compiled afresh, as before. Calcite's
 * own cache refuses every static field. Everything else is Janino's, unchanged. (Public only for
 * {@link java.util.ServiceLoader}.)
 */
public final class CachingCompilerFactory extends CompilerFactory {
    /** Compiled sources by their text (and parent class loader), about 64 MiB of source at most. */
    private static final Cache<Key, ClassLoader> COMPILED = Caffeine.newBuilder()
            .maximumWeight(64L << 20).weigher((Key k, ClassLoader v) -> k.source().length()).build();

    private record Key(ClassLoader parent, String source) {
    }

    /**
     * Types of static fields that hold no state of a statement: immutable values, and Calcite's LIKE function, whose
     * only field is a thread-safe cache of compiled patterns (LIKE is in most BI filters).
     */
    private static final java.util.Set<String> IMMUTABLE = java.util.Set.of("java.math.BigDecimal", "BigDecimal",
            "java.math.BigInteger", "BigInteger", "String", "java.lang.String", "int", "long", "double", "float",
            "short", "byte", "boolean", "char", "Integer", "java.lang.Integer", "Long", "java.lang.Long", "Double",
            "java.lang.Double", "Float", "java.lang.Float", "Short", "java.lang.Short", "Byte", "java.lang.Byte",
            "Boolean", "java.lang.Boolean", "Character", "java.lang.Character",
            "org.apache.calcite.avatica.util.ByteString", "org.apache.calcite.runtime.SqlFunctions.LikeFunction");

    private static final java.util.regex.Pattern STATIC = java.util.regex.Pattern.compile("\\bstatic\\b");

    /**
     * Whether a class compiled from {@code source} may be shared: every static field it declares (a {@code static}
     * declaration that ends at {@code =} or {@code ;}, not a method or a nested class) is final and has an
     * {@link #IMMUTABLE} type. A scan of the source Calcite generated (linq4j writes one declaration per statement);
     * a {@code static} it misreads makes the source uncacheable, never the reverse.
     */
    static boolean cacheable(String source) {
        java.util.regex.Matcher m = STATIC.matcher(source);
        while (m.find()) {
            int end = m.end();
            while (end < source.length() && "=;({".indexOf(source.charAt(end)) < 0) {
                end++;
            }
            if (end == source.length()) {
                return false;
            }
            char stop = source.charAt(end);
            if (stop == '(' || stop == '{') {
                continue; // a method or a nested class
            }
            java.util.List<String> words = new java.util.ArrayList<>(java.util.List.of(
                    source.substring(m.end(), end).trim().split("\\s+")));
            boolean isFinal = words.remove("final");
            words.removeIf(w -> w.equals("private") || w.equals("public") || w.equals("protected")
                    || w.equals("transient"));
            if (!isFinal || words.size() != 2 || !IMMUTABLE.contains(words.get(0))) {
                return false; // a variable, or a type that may hold state
            }
        }
        return true;
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
            Key key = cacheable(source) ? new Key(parent, source) : null;
            ClassLoader cached = key == null ? null : COMPILED.getIfPresent(key);
            if (cached == null) {
                janino.cook(fileName, source);
                cached = janino.getClassLoader();
                if (key != null) {
                    COMPILED.put(key, cached);
                }
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
