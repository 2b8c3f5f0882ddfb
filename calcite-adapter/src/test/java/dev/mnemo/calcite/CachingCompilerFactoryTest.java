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
}
