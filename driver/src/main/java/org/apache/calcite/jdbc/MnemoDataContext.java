package org.apache.calcite.jdbc;

import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaSite;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.rel.type.TimeFrames;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.util.Holder;
import org.apache.calcite.util.Util;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The data context of one execution, with the values Calcite's own ({@code CalciteConnectionImpl.DataContextImpl})
 * gives, made when asked for rather than all up front: Calcite's builds an immutable map of twelve variables (the
 * clock in four forms, the time zone, its time frames, the user, the locale, the standard streams) for every
 * execution, which was a fifth of the time of a small statement. The clock is read once, when the execution starts,
 * so that CURRENT_TIMESTAMP is the same throughout it. Anything else (the SQL advisor) is asked of Calcite's.
 */
final class MnemoDataContext implements DataContext {
    private final CalciteConnectionImpl connection;
    /** The parameter values ("?0", …) and the signature's internal parameters, as Calcite's context takes them. */
    private final Map<String, Object> parameters;
    private final @Nullable CalciteSchema rootSchema;
    private final long time;
    /** The statement's fetch size (0: none given). */
    private final int fetchSize;
    private DataContext calcites;

    MnemoDataContext(CalciteConnectionImpl connection, Map<String, Object> parameters,
                     @Nullable CalciteSchema rootSchema, int fetchSize) {
        this.connection = connection;
        this.fetchSize = fetchSize;
        this.parameters = parameters;
        this.rootSchema = rootSchema;
        Holder<Long> clock = Holder.of(System.currentTimeMillis());
        Hook.CURRENT_TIME.run(clock); // a test's hook may set the clock
        this.time = clock.get();
    }

    @Override
    public synchronized @Nullable Object get(String name) {
        Object v = parameters.get(name);
        if (v != null || parameters.containsKey(name)) {
            return v == AvaticaSite.DUMMY_VALUE ? null : v;
        }
        TimeZone zone = connection.getTimeZone();
        switch (name) {
            case "utcTimestamp":
                return time;
            case "currentTimestamp":
            case "localTimestamp":
                return time + zone.getOffset(time);
            case "sysTimestamp":
                return time + TimeZone.getDefault().getOffset(time);
            case "timeZone":
                return zone;
            case "timeFrameSet":
                return connection.getTypeFactory().getTypeSystem().deriveTimeFrameSet(TimeFrames.CORE);
            case "user":
                return "sa";
            case "systemUser":
                return System.getProperty("user.name");
            case "locale": {
                String locale = connection.config().locale();
                return locale != null ? Util.parseLocale(locale) : Locale.ROOT;
            }
            case "stdin":
            case "stdout":
            case "stderr":
                return streams()[name.equals("stdin") ? 0 : name.equals("stdout") ? 1 : 2];
            case dev.mnemo.calcite.ScanSpec.FETCH_SIZE:
                return fetchSize;
            case "sqlAdvisor":
                return calcites().get(name);
            default:
                return null; // not set for this execution (the timeout, say), as in Calcite's
        }
    }

    private static Object[] streams() {
        Holder<Object[]> streams = Holder.of(new Object[] {System.in, System.out, System.err});
        Hook.STANDARD_STREAMS.run(streams);
        return streams.get();
    }

    private DataContext calcites() {
        if (calcites == null) {
            calcites = new CalciteConnectionImpl.DataContextImpl(connection, parameters, rootSchema);
        }
        return calcites;
    }

    @Override
    public @Nullable SchemaPlus getRootSchema() {
        return rootSchema == null ? null : rootSchema.plus();
    }

    @Override
    public JavaTypeFactory getTypeFactory() {
        return connection.getTypeFactory();
    }

    @Override
    public QueryProvider getQueryProvider() {
        return connection;
    }
}
