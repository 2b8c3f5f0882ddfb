package dev.mnemo.engine.match;

import dev.mnemo.engine.value.Terms;

/**
 * A run-time error in a guard or body (Erlang's badarg/badarith). Cheap: no stack trace, since guards raise and
 * swallow these per row.
 */
final class EvalError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EvalError(String message) {
        super(message, null, false, false);
    }

    static EvalError badarg(String fn, Object... args) {
        return new EvalError("badarg in " + describe(fn, args));
    }

    static EvalError badarith(String fn, Object... args) {
        return new EvalError("badarith in " + describe(fn, args));
    }

    private static String describe(String fn, Object... args) {
        StringBuilder sb = new StringBuilder(Format.atom(fn)).append('(');
        for (int i = 0; i < args.length; i++) {
            sb.append(i > 0 ? ", " : "").append(Terms.format(args[i]));
        }
        return sb.append(')').toString();
    }
}
