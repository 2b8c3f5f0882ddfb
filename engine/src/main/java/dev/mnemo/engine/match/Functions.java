package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Binary;
import dev.mnemo.engine.value.Terms;
import dev.mnemo.engine.value.Tuple;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** The guard/body functions by name: arity and how to build the compiled call from compiled arguments. */
final class Functions {
    /** Builds the compiled call. */
    interface Builder {
        Expr build(Expr[] args);
    }

    /** A function: its name, accepted arities and builder. */
    record Def(String name, int minArity, int maxArity, Builder builder) {
        boolean accepts(int arity) {
            return arity >= minArity && arity <= maxArity;
        }

        String arityText() {
            return minArity == maxArity ? String.valueOf(minArity)
                    : maxArity == Integer.MAX_VALUE ? "at least " + minArity : minArity + " or " + maxArity;
        }
    }

    private static final Map<String, Def> DEFS = new HashMap<>();

    static {
        comparisons();
        booleans();
        arithmetic();
        data();
        typeTests();
        DEFS.put("const", new Def("const", 1, 1, args -> {
            throw new IllegalStateException("const is compiled specially");
        }));
    }

    private Functions() {
    }

    /** The function named {@code name}, or null. */
    static Def lookup(String name) {
        return DEFS.get(name);
    }

    static Set<String> names() {
        return Collections.unmodifiableSet(DEFS.keySet());
    }

    private static void comparisons() {
        binary("==", (a, b) -> Terms.compareLoose(a, b) == 0);
        binary("/=", (a, b) -> Terms.compareLoose(a, b) != 0);
        binary("=:=", (a, b) -> Terms.compare(a, b) == 0);
        binary("=/=", (a, b) -> Terms.compare(a, b) != 0);
        binary("<", (a, b) -> Terms.compareLoose(a, b) < 0);
        binary(">", (a, b) -> Terms.compareLoose(a, b) > 0);
        binary("=<", (a, b) -> Terms.compareLoose(a, b) <= 0);
        binary(">=", (a, b) -> Terms.compareLoose(a, b) >= 0);
    }

    private static void booleans() {
        variadic("andalso", Functions::andAlso);
        variadic("orelse", Functions::orElse);
        variadic("and", args -> (v, o) -> all("and", args, v, o, true));
        variadic("or", args -> (v, o) -> all("or", args, v, o, false));
        unary("not", a -> !bool("not", a));
        binary("xor", (a, b) -> bool("xor", a) ^ bool("xor", b));
    }

    private static void arithmetic() {
        DEFS.put("+", new Def("+", 1, 2, args -> args.length == 1 ? call1(Arith::plus, args)
                : call2(Arith::add, args)));
        DEFS.put("-", new Def("-", 1, 2, args -> args.length == 1 ? call1(Arith::negate, args)
                : call2(Arith::subtract, args)));
        binary("*", Arith::multiply);
        binary("/", Arith::divide);
        binary("div", Arith::div);
        binary("rem", Arith::rem);
        unary("abs", Arith::abs);
        unary("round", Arith::round);
        unary("trunc", Arith::trunc);
        unary("float", Arith::toFloat);
        binary("min", Arith::min);
        binary("max", Arith::max);
        binary("band", Arith::band);
        binary("bor", Arith::bor);
        binary("bxor", Arith::bxor);
        unary("bnot", Arith::bnot);
        binary("bsl", Arith::bsl);
        binary("bsr", Arith::bsr);
    }

    private static void data() {
        binary("element", Builtins::element);
        unary("size", Builtins::size);
        unary("tuple_size", Builtins::tupleSize);
        unary("byte_size", Builtins::byteSize);
        unary("length", Builtins::length);
        unary("hd", Builtins::hd);
        unary("tl", Builtins::tl);
        binary("map_get", Builtins::mapGet);
        binary("is_map_key", Builtins::isMapKey);
        unary("map_size", Builtins::mapSize);
    }

    private static void typeTests() {
        test("is_integer", Arith::isInteger);
        test("is_float", x -> x instanceof Double);
        test("is_number", Arith::isNumber);
        test("is_boolean", x -> x instanceof Boolean);
        test("is_string", x -> x instanceof String);
        test("is_binary", x -> x instanceof Binary);
        test("is_tuple", x -> x instanceof Tuple);
        test("is_list", x -> x instanceof List<?>);
        test("is_map", x -> x instanceof Map<?, ?>);
        test("is_null", x -> x == null);
        DEFS.put("is_record", new Def("is_record", 2, 3, args -> args.length == 2
                ? call2(Builtins::isRecord, args)
                : (v, o) -> Builtins.isRecord(args[0].eval(v, o), args[1].eval(v, o), args[2].eval(v, o))));
    }

    private static void unary(String name, UnaryOperator<Object> op) {
        DEFS.put(name, new Def(name, 1, 1, args -> call1(op, args)));
    }

    private static void binary(String name, BinaryOperator<Object> op) {
        DEFS.put(name, new Def(name, 2, 2, args -> call2(op, args)));
    }

    private static void variadic(String name, Builder builder) {
        DEFS.put(name, new Def(name, 1, Integer.MAX_VALUE, builder));
    }

    private static void test(String name, Predicate<Object> p) {
        unary(name, x -> p.test(x));
    }

    private static Expr call1(UnaryOperator<Object> op, Expr[] args) {
        Expr a = args[0];
        return (v, o) -> op.apply(a.eval(v, o));
    }

    private static Expr call2(BinaryOperator<Object> op, Expr[] args) {
        Expr a = args[0];
        Expr b = args[1];
        return (v, o) -> op.apply(a.eval(v, o), b.eval(v, o));
    }

    private static Expr andAlso(Expr[] args) {
        return (v, o) -> {
            for (Expr e : args) {
                if (!bool("andalso", e.eval(v, o))) {
                    return false;
                }
            }
            return true;
        };
    }

    private static Expr orElse(Expr[] args) {
        return (v, o) -> {
            for (Expr e : args) {
                if (bool("orelse", e.eval(v, o))) {
                    return true;
                }
            }
            return false;
        };
    }

    /** {@code and}/{@code or}: every argument is evaluated and must be a boolean. */
    private static Object all(String fn, Expr[] args, Object[] v, Tuple o, boolean and) {
        boolean result = and;
        for (Expr e : args) {
            boolean b = bool(fn, e.eval(v, o));
            result = and ? result && b : result || b;
        }
        return result;
    }

    private static boolean bool(String fn, Object x) {
        if (x instanceof Boolean b) {
            return b;
        }
        throw EvalError.badarg(fn, x);
    }
}
