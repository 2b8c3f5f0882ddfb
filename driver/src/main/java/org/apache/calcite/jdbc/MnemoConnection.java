package org.apache.calcite.jdbc;

import dev.mnemo.calcite.MnemoOperators;
import java.util.Properties;
import java.util.TimeZone;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.UnregisteredDriver;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.sql.SqlOperatorTable;

/**
 * Calcite's connection with its configuration read once. Calcite builds a new configuration object on every
 * {@code config()} call and parses the connection properties again for each setting it reads, several times per
 * statement execution (time zone, locale, spark, auto-temp); a connection's properties never change, so this one
 * builds the configuration once and remembers the settings read on the execution path.
 */
public final class MnemoConnection extends CalciteConnectionImpl {
    private Config config; // made on first use: Avatica's constructor already reads it
    private final TimeZone timeZone;

    private MnemoConnection(Driver driver, AvaticaFactory factory, String url, Properties info,
                            CalciteSchema rootSchema, JavaTypeFactory typeFactory) {
        super(driver, factory, url, info, rootSchema, typeFactory);
        String zone = config().timeZone();
        this.timeZone = zone == null ? null : TimeZone.getTimeZone(zone);
    }

    /** A new connection, as the driver's JDBC factory makes it. */
    public static AvaticaConnection create(UnregisteredDriver driver, AvaticaFactory factory, String url,
                                           Properties info, CalciteSchema rootSchema, JavaTypeFactory typeFactory) {
        return new MnemoConnection((Driver) driver, factory, url, info, rootSchema, typeFactory);
    }

    @Override
    public CalciteConnectionConfig config() {
        Config c = config;
        if (c == null) { // immutable, so two threads making one each is harmless
            c = new Config(info);
            config = c;
        }
        return c;
    }

    @Override
    public TimeZone getTimeZone() {
        return timeZone != null ? timeZone : TimeZone.getDefault();
    }

    /** The configuration, with the settings read on every execution remembered. */
    private static final class Config extends CalciteConnectionConfigImpl {
        private final String timeZone;
        private final String locale;
        private final boolean spark;
        private final boolean autoTemp;
        /** The operator table last asked for, with Mnemo's functions ({@link MnemoOperators}). */
        private volatile Object[] operators; // {asked-for default, result}

        Config(Properties properties) {
            super(properties);
            this.timeZone = super.timeZone();
            this.locale = super.locale();
            this.spark = super.spark();
            this.autoTemp = super.autoTemp();
        }

        @Override
        public String timeZone() {
            return timeZone;
        }

        @Override
        public String locale() {
            return locale;
        }

        @Override
        public boolean spark() {
            return spark;
        }

        @Override
        public boolean autoTemp() {
            return autoTemp;
        }

        /** Calcite's operator table with Mnemo's functions after it. */
        @Override
        public <T> T fun(Class<T> operatorTableClass, T defaultOperatorTable) {
            T table = super.fun(operatorTableClass, defaultOperatorTable);
            if (operatorTableClass != SqlOperatorTable.class || table == null) {
                return table;
            }
            Object[] cached = operators;
            if (cached == null || cached[0] != table) {
                cached = new Object[] {table, MnemoOperators.with((SqlOperatorTable) table)};
                operators = cached;
            }
            return operatorTableClass.cast(cached[1]);
        }
    }
}
