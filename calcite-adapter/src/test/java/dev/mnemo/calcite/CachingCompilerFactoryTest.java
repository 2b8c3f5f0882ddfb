package dev.mnemo.calcite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.IntSupplier;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.commons.compiler.CompilerFactoryFactory;
import org.codehaus.commons.compiler.ISimpleCompiler;
import org.junit.jupiter.api.Test;

/** Generated sources are compiled once: the same source gets the class compiled before. */
class CachingCompilerFactoryTest {
    private static Class<?> compile(String source) throws Exception {
        ISimpleCompiler compiler = CompilerFactoryFactory.getDefaultCompilerFactory(
                CachingCompilerFactoryTest.class.getClassLoader()).newSimpleCompiler();
        compiler.setParentClassLoader(CachingCompilerFactoryTest.class.getClassLoader());
        compiler.cook(source);
        return compiler.getClassLoader().loadClass("Baz");
    }

    private static String source(int answer) {
        return "public final class Baz implements java.util.function.IntSupplier {\n"
                + "  static final Integer ANSWER = Integer.valueOf(" + answer + ");\n"
                + "  public int getAsInt() { return ANSWER; }\n}";
    }

    @Test
    void theCompilerCalciteFinds_isMnemos() throws Exception {
        assertThat(CompilerFactoryFactory.getDefaultCompilerFactory(
                org.apache.calcite.adapter.enumerable.EnumerableInterpretable.class.getClassLoader()))
                .isInstanceOf(CachingCompilerFactory.class);
    }

    @Test
    void aSourceCompiledBefore_getsItsClass_anotherSourceItsOwn() throws Exception {
        int salt = (int) System.nanoTime() & 0xffff; // sources no other test compiled
        Class<?> first = compile(source(salt));
        long cached = CachingCompilerFactory.cachedSources();
        Class<?> again = compile(source(salt));
        Class<?> other = compile(source(salt + 1));
        assertThat(again).isSameAs(first);
        assertThat(other).isNotSameAs(first);
        assertThat(CachingCompilerFactory.cachedSources()).isEqualTo(cached + 1);
        assertThat(((IntSupplier) first.getDeclaredConstructor().newInstance()).getAsInt()).isEqualTo(salt);
        assertThat(((IntSupplier) other.getDeclaredConstructor().newInstance()).getAsInt()).isEqualTo(salt + 1);
    }

    @Test
    void aSourceThatDoesNotCompile_failsEachTime() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> compile("public final class Baz { int x = ; }"))
                    .isInstanceOf(CompileException.class);
        }
    }

    @Test
    void aSourceWithAStaticFieldOfMutableType_isCompiledAfreshEachTime() throws Exception {
        int salt = (int) System.nanoTime() & 0xffff;
        String source = "public final class Baz implements java.util.function.IntSupplier {\n"
                + "  static final java.util.concurrent.atomic.AtomicInteger N = new java.util.concurrent.atomic"
                + ".AtomicInteger(" + salt + ");\n"
                + "  public int getAsInt() { return N.incrementAndGet(); }\n}";
        Class<?> first = compile(source);
        Class<?> again = compile(source);
        assertThat(again).isNotSameAs(first);
        assertThat(((IntSupplier) first.getDeclaredConstructor().newInstance()).getAsInt()).isEqualTo(salt + 1);
        assertThat(((IntSupplier) again.getDeclaredConstructor().newInstance()).getAsInt()).isEqualTo(salt + 1);
    }

    @Test
    void cacheable_onlyWhenEveryStaticFieldHasAnImmutableType() {
        assertThat(CachingCompilerFactory.cacheable("class Baz { static final java.math.BigDecimal $L4J$C$0 = "
                + "new java.math.BigDecimal(\"1.5\"); static final String S = \"x\"; public static int f() {"
                + " return 1; } }")).isTrue();
        assertThat(CachingCompilerFactory.cacheable("class Baz { static final org.apache.calcite.runtime"
                + ".RandomFunction $L4J$C$1 = new org.apache.calcite.runtime.RandomFunction(); }")).isFalse();
        assertThat(CachingCompilerFactory.cacheable("class Baz { static int counter; }")).isFalse();
        assertThat(CachingCompilerFactory.cacheable("class Baz { static final java.util.List<String> L = null; }"))
                .isFalse();
        assertThat(CachingCompilerFactory.cacheable("class Baz { static class Inner { } }")).isTrue();
    }
}
