package dev.mnemo.jdbc;

import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.MnemoRemoteFactory;

/**
 * Avatica's remote driver as {@code jdbc:mnemo:remote:} uses it: Mnemo's name and version, and Mnemo's answers in
 * DatabaseMetaData ({@link MnemoRemoteFactory}). It is not registered with DriverManager; {@link Driver} calls it.
 */
final class RemoteDriver extends org.apache.calcite.avatica.remote.Driver {
    @Override
    protected DriverVersion createDriverVersion() {
        return Driver.VERSION;
    }

    @Override
    protected String getFactoryClassName(JdbcVersion jdbcVersion) {
        return MnemoRemoteFactory.class.getName();
    }
}
